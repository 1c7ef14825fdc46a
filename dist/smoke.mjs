// Smoke test for Node.js layers: run as `node --input-type=module -e <this> module...` in the runtime
// image, from the layer's nodejs/ folder so that bare names resolve as on Lambda. Prints one
// `LLR-SMOKE {json}` line per module.
for (const name of process.argv.slice(1)) {
  const start = performance.now();
  let result;
  try {
    await import(name);
    result = { module: name, ok: true };
  } catch (error) {
    result = { module: name, ok: false, error: `${error?.code ?? error?.name}: ${error?.message}` };
  }
  result.ms = Math.round((performance.now() - start) * 10) / 10;
  console.log('LLR-SMOKE ' + JSON.stringify(result));
}
