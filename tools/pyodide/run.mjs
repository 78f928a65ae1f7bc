// Run a Python script inside Pyodide (CPython compiled to WebAssembly) under Node, with the
// repository's packages copied into Pyodide's in-memory file system. No network is used.
//
//   node tools/pyodide/run.mjs SCRIPT.py [ARGS...]
//
// The exit code is the script's: 0 when it finished, 1 when it raised.
import { loadPyodide } from "pyodide";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const script = process.argv[2];
if (!script) {
  console.error("usage: node tools/pyodide/run.mjs SCRIPT.py [ARGS...]");
  process.exit(2);
}

function copyTree(py, src, dst) {
  py.FS.mkdirTree(dst);
  for (const name of readdirSync(src)) {
    if (name === "__pycache__") continue;
    const path = join(src, name);
    const target = dst + "/" + name;
    if (statSync(path).isDirectory()) copyTree(py, path, target);
    else py.FS.writeFile(target, readFileSync(path));
  }
}

const py = await loadPyodide({ stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
const root = "/home/pyodide/capnp-lite";
for (const dir of ["capnp_lite", "debugport", "schemas"]) {
  try {
    copyTree(py, join(repo, dir), root + "/" + dir);
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
}
py.FS.writeFile(root + "/__main__.py", readFileSync(resolve(script)));
py.globals.set("script_args", [relative(repo, resolve(script)), ...process.argv.slice(3)]);
let status;
try {
  status = await py.runPythonAsync(`
import sys, os, runpy
sys.path.insert(0, ${JSON.stringify(root)})
sys.argv = list(script_args)
os.chdir(${JSON.stringify(root)})
# A script with an async entry point 'amain' is awaited on Pyodide's own event loop (asyncio.run
# cannot block inside WebAssembly); otherwise it runs as __main__.
try:
    scope = runpy.run_path(${JSON.stringify(root + "/__main__.py")}, run_name="__pyodide__")
    if "amain" in scope:
        status = await scope["amain"]()
    else:
        scope = runpy.run_path(${JSON.stringify(root + "/__main__.py")}, run_name="__main__")
        status = 0
except SystemExit as exc:
    status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
status
`);
} catch (err) {
  console.error(String(err.message || err));
  status = 1;
}
process.exit(status);
