import type { Files } from "../helpers/workspace";

/**
 * zod 4's `Prettify` (src/v4/core/util.ts), cut down: a `@ts-ignore` that hides an error only in
 * some check orders. Checking `recursive.ts` first (the engine's order: files sorted by path,
 * and the ts-ignore rule checks `recursive.ts` for its own directive) makes TypeScript find
 * `K`'s constraint circular while resolving `Rec`, and file the error (TS2313) in `util.ts`.
 * `tsc` checks `util.ts` first (a file after the files it imports), where nothing is circular:
 * there, a `@ts-expect-error` instead of the `@ts-ignore` is TS2578 "Unused '@ts-expect-error'
 * directive", the build break the benchmark found in zod.
 */
export const orderDependentCircularity: Files = {
  "src/util.ts": ["export type Prettify<T> = {", "  // @ts-ignore", "  [K in keyof T]: T[K];", "} & {};", ""].join("\n"),
  "src/schema.ts": [
    'import type { Prettify } from "./util";',
    'export type Output<T> = T extends { _zod: { output: any } } ? T["_zod"]["output"] : unknown;',
    "export interface Internals<out O = unknown> {}",
    "export interface Schema<I extends Internals = Internals> {",
    "  _zod: I;",
    "}",
    "export type InferObject<T> = Prettify<{ [K in keyof T as T[K] extends { _zod: { optional: true } } ? never : K]: T[K] }>;",
    "export interface ZObject<S extends Record<string, Schema>> extends Schema<{ output: InferObject<S> }> {}",
    "export interface ZDefault<T> extends Schema { _zod: Internals<Exclude<Output<T>, undefined>> }",
    "",
  ].join("\n"),
  "src/recursive.ts": [
    'import type { ZObject, ZDefault } from "./schema";',
    "export type Rec = ZObject<{ a: ZDefault<Rec> }>;",
    "// @ts-ignore",
    'export const n: number = "one";',
    "",
  ].join("\n"),
};
