// Agreement with a peer: our findings (from `selfheal check --format json`) against ESLint's
// messages (bench/eslint.cjs) on the same files, rule by rule. Two reports agree when they are
// in the same file on the same start line (as many pairs per line as the side with fewer has).
// Every report without a partner is put in a disagreement class by looking at the code it points
// at (syntax only, TypeScript's parser); the hand-written explanation of each class, and whose
// mistake it is, are in bench/agreement-notes.md, keyed by rule and class.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/** Our rule, its ESLint counterpart, and how ESLint is set up for it (bench/eslint.cjs). */
export const rulePairs = [
  { ours: "no-explicit-any", theirs: "@typescript-eslint/no-explicit-any", setup: "`ignoreRestArgs: true`" },
  { ours: "floating-promise", theirs: "@typescript-eslint/no-floating-promises", setup: "defaults" },
  { ours: "empty-catch", theirs: "no-empty", setup: "catch blocks only" },
  { ours: "loose-equality", theirs: "eqeqeq", setup: '`"always", { null: "ignore" }`' },
  { ours: "no-var", theirs: "no-var", setup: "" },
  { ours: "prefer-const", theirs: "prefer-const", setup: "defaults" },
  { ours: "console-call", theirs: "no-console", setup: "defaults" },
  { ours: "ts-ignore", theirs: "@typescript-eslint/ban-ts-comment", setup: "`ts-ignore` only" },
  { ours: "unused-import", theirs: "@typescript-eslint/no-unused-vars", setup: "imported names only" },
  { ours: "deprecated-usage", theirs: "@typescript-eslint/no-deprecated", setup: "" },
  { ours: "non-null-assertion", theirs: "@typescript-eslint/no-non-null-assertion", setup: "" },
];

const samplesPerClass = 3;

/**
 * ours: [{ rule, file, line, column }] (1-based, files relative to the corpus); theirs: the same
 * shape with ESLint rule ids. Returns one row per rule pair, with its disagreement classes.
 */
export function compareWithPeer(folder, ours, theirs) {
  const sources = new Map();
  const sourceOf = (file) => {
    if (!sources.has(file)) sources.set(file, ts.createSourceFile(file, fs.readFileSync(path.join(folder, file), "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
    return sources.get(file);
  };
  return rulePairs.map((pair) => {
    const mine = ours.filter((finding) => finding.rule === pair.ours);
    const peer = theirs.filter((message) => message.rule === pair.theirs);
    const { agree, oursOnly, theirsOnly } = match(mine, peer);
    const oursLines = new Set(mine.map(lineKey));
    const theirsLines = new Set(peer.map(lineKey));
    const classes = new Map();
    for (const [side, reports] of [["ours", oursOnly], ["theirs", theirsOnly]]) {
      for (const report of reports.sort(byPosition)) {
        const context = { ...report, side, folder, sourceFile: sourceOf(report.file), oursLines, theirsLines };
        const id = `${side}-only/${classify(pair.ours, context)}`;
        let entry = classes.get(id);
        if (!entry) classes.set(id, (entry = { id, side, count: 0, samples: [] }));
        entry.count++;
        if (entry.samples.length < samplesPerClass) entry.samples.push({ file: report.file, line: report.line, code: lineText(context.sourceFile, report.line) });
      }
    }
    return { ...pair, ours: pair.ours, oursCount: mine.length, theirsCount: peer.length, agree, oursOnly: oursOnly.length, theirsOnly: theirsOnly.length, classes: [...classes.values()] };
  });
}

const lineKey = (report) => `${report.file}:${report.line}`;
const byPosition = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column);

/** Same file, same start line; per line, min(ours, theirs) pairs agree and the rest are left over. */
function match(mine, peer) {
  const group = (reports) => {
    const byLine = new Map();
    for (const report of [...reports].sort(byPosition)) {
      const list = byLine.get(lineKey(report));
      if (list) list.push(report);
      else byLine.set(lineKey(report), [report]);
    }
    return byLine;
  };
  const [a, b] = [group(mine), group(peer)];
  let agree = 0;
  const oursOnly = [];
  const theirsOnly = [];
  for (const [key, list] of a) {
    const other = b.get(key) ?? [];
    agree += Math.min(list.length, other.length);
    oursOnly.push(...list.slice(other.length));
  }
  for (const [key, list] of b) theirsOnly.push(...list.slice((a.get(key) ?? []).length));
  return { agree, oursOnly, theirsOnly };
}

function lineText(sourceFile, line) {
  const starts = sourceFile.getLineStarts();
  const text = sourceFile.text.slice(starts[line - 1], starts[line] ?? sourceFile.text.length).trim();
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** The innermost node (token included) that starts at or spans the 1-based line and column. */
function nodeAt(sourceFile, line, column) {
  const position = sourceFile.getPositionOfLineAndCharacter(line - 1, column - 1);
  let node = sourceFile;
  descend: for (;;) {
    for (const child of node.getChildren(sourceFile)) {
      if (child.getStart(sourceFile) <= position && position < child.getEnd()) {
        node = child;
        continue descend;
      }
    }
    return node;
  }
}

/** Our test-file convention (docs/rules/console-call.md): `*.test.*`, `*.spec.*`, or under test/, tests/, __tests__/. */
const isTestFile = (file) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(file) || /(^|\/)(test|tests|__tests__)\//.test(file);

const ancestors = function* (node) {
  for (let current = node; current; current = current.parent) yield current;
};

/** A test that needs the report to point at a name. */
const atName = (test) => (context) => ts.isIdentifier(context.node) && test(context);

/** Each rule's disagreement classes, tried in order; a report no class takes is "other" (unexplained). */
const classifiers = {
  "console-call": {
    theirs: [["test-file", ({ file }) => isTestFile(file)]],
  },
  "deprecated-usage": {
    theirs: [
      ["import-export-list", atName(({ node }) => ts.isImportSpecifier(node.parent) || ts.isExportSpecifier(node.parent) || ts.isImportClause(node.parent) || ts.isNamespaceImport(node.parent))],
      ["destructuring", atName(({ node }) => ts.isBindingElement(node.parent))],
      ["declaration-or-property-name", atName(({ node }) => node.parent.name === node && !ts.isPropertyAccessExpression(node.parent))],
      ["member-read", atName(({ node }) => (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) || (ts.isQualifiedName(node.parent) && node.parent.right === node))],
    ],
  },
  "prefer-const": {
    theirs: [
      ["declared-then-assigned", atName(({ node, sourceFile }) => isDeclaredWithoutValue(node) || (isAssignmentTarget(node) && declaredWithoutValueIn(sourceFile, node.text)))],
      ["list-each-name", atName(({ node, file, oursLines, sourceFile }) => inListOfSeveral(node) && oursLines.has(`${file}:${lineOf(sourceFile, node.parent.parent)}`))],
      ["list-partly-written", atName(({ node }) => inListOfSeveral(node))],
      ["destructuring-partly-written", atName(({ node }) => ts.isBindingElement(node.parent))],
    ],
  },
  "unused-import": {
    theirs: [
      ["jsdoc-mention", atName(({ node, sourceFile }) => mentionedInJsDoc(sourceFile, node.text))],
      ["type-parameter-shadows-namespace", atName(({ node, sourceFile }) => namespaceUseUnderSameNamedTypeParameter(sourceFile, node.text))],
    ],
    ours: [["namespace-import-named-like-a-global-type", atName(({ node, sourceFile }) => ts.isNamespaceImport(node.parent) && onlyTypeReferencesTo(sourceFile, node))]],
  },
};

function classify(rule, context) {
  const node = nodeAt(context.sourceFile, context.line, context.column);
  for (const [id, test] of classifiers[rule]?.[context.side] ?? []) if (test({ ...context, node })) return id;
  return "other";
}

const lineOf = (sourceFile, node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
const isDeclaredWithoutValue = (node) => ts.isVariableDeclaration(node.parent) && node.parent.name === node && !node.parent.initializer;
const isAssignmentTarget = (node) => ts.isBinaryExpression(node.parent) && node.parent.left === node && node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
const inListOfSeveral = (node) => ts.isVariableDeclaration(node.parent) && node.parent.name === node && node.parent.parent.declarations.length > 1;

function declaredWithoutValueIn(sourceFile, name) {
  let found = false;
  const visit = (node) => {
    if (found) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && !node.initializer) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function identifiersNamed(sourceFile, name) {
  const found = [];
  const visit = (node) => {
    if (ts.isIdentifier(node) && node.text === name) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function mentionedInJsDoc(sourceFile, name) {
  const word = new RegExp(`\\b${name.replace(/[$]/g, "\\$")}\\b`);
  return (sourceFile.text.match(/\/\*\*[\s\S]*?\*\//g) ?? []).some((comment) => word.test(comment));
}

/** `Name.Member` written inside a declaration that has a type parameter called `Name`. */
function namespaceUseUnderSameNamedTypeParameter(sourceFile, name) {
  return identifiersNamed(sourceFile, name).some(
    (identifier) =>
      ts.isQualifiedName(identifier.parent) &&
      identifier.parent.left === identifier &&
      [...ancestors(identifier)].some((node) => node.typeParameters?.some((parameter) => parameter.name.text === name)),
  );
}

/** `import * as Name`, and every other `Name` in the file is a plain type reference `Name<…>` (which resolves to a type, never to a namespace). */
function onlyTypeReferencesTo(sourceFile, importName) {
  const uses = identifiersNamed(sourceFile, importName.text).filter((identifier) => identifier !== importName);
  return uses.length > 0 && uses.every((identifier) => ts.isTypeReferenceNode(identifier.parent) && identifier.parent.typeName === identifier);
}

/**
 * bench/agreement-notes.md: `## <rule>` sections of `### <side>-only/<class>` entries, each a
 * `Verdict: …` line and an explanation. Returns Map(rule → Map(class id → { title, verdict, text })).
 */
export function loadNotes(file) {
  const notes = new Map();
  let rule;
  let entry;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const ruleHeading = /^## (\S+)\s*$/.exec(line);
    const classHeading = /^### (\S+)(?:: (.*))?$/.exec(line);
    if (ruleHeading) {
      rule = ruleHeading[1];
      notes.set(rule, new Map());
      entry = undefined;
    } else if (classHeading && rule) {
      entry = { title: classHeading[2] ?? classHeading[1], verdict: "", lines: [] };
      notes.get(rule).set(classHeading[1], entry);
    } else if (entry) {
      const verdict = /^Verdict: (.*)$/.exec(line);
      if (verdict) entry.verdict = verdict[1].trim();
      else entry.lines.push(line);
    }
  }
  for (const classes of notes.values()) for (const note of classes.values()) note.text = note.lines.join("\n").trim().replace(/\s*\n\s*/g, " ");
  return notes;
}
