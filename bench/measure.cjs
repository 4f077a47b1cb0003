// `node bench/measure.cjs <script> [args...]` runs a Node CLI script in this process, as if it
// were started directly, and at exit writes its peak resident set size (KiB) and CPU time (ms,
// user + system, all threads) from process.resourceUsage to the file named by BENCH_MEASURE_OUT.
// tsc and `selfheal check` are both measured through this wrapper, so both figures come from
// the same place.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const out = process.env.BENCH_MEASURE_OUT;
process.on("exit", () => {
  const usage = process.resourceUsage();
  if (out) fs.writeFileSync(out, JSON.stringify({ maxRssKB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
});
const script = path.resolve(process.argv[2]);
process.argv.splice(1, 2, script);
require(script);
