// Runs an ONNX model in ONNX Runtime (onnxruntime-node, CPU) for the tests and the benchmark.
//   node run_onnx.js MODEL.onnx INPUT.json OUTPUT.json [REPEATS] [THREADS]
// INPUT.json: {"dims": [...], "type": "float32" | "int64", "data": [...]} for the first input, or
// {"inputs": {name: {"dims", "type", "data"}, ...}}. OUTPUT.json gets every output
// ({"outputs": {name: {"dims", "data"}}}) and, with REPEATS, the milliseconds of each timed run after one
// warm-up run.
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, inputPath, outputPath, repeats = '0', threads = '2'] = process.argv.slice(2);
  const request = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads), interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const inputs = request.inputs || { [session.inputNames[0]]: request };
  const feeds = {};
  for (const [name, input] of Object.entries(inputs)) {
    const data = input.type === 'int64' ? BigInt64Array.from(input.data.map(BigInt)) : Float32Array.from(input.data);
    feeds[name] = new ort.Tensor(input.type || 'float32', data, input.dims);
  }
  const results = await session.run(feeds);
  const ms = [];
  for (let i = 0; i < Number(repeats); ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const outputs = {};
  for (const name of session.outputNames)
    outputs[name] = { dims: results[name].dims, data: Array.from(results[name].data, Number) };
  fs.writeFileSync(outputPath, JSON.stringify({ outputs, ms }));
}

main().catch((e) => { console.error(`run_onnx: ${e.message}`); process.exit(1); });
