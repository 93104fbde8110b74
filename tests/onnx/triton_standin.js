// A Triton server's HTTP API as far as publishing uses it, serving ONNX files with ONNX Runtime
// (onnxruntime-node): no Triton runs on this machine, and `maas publish --format onnx` must be tried against
// an endpoint that really runs what it is sent. Model repository extension (index, load with `config` and
// `file:` overrides, unload), model configuration, metadata and readiness, and inference with JSON or
// binary tensor data.
//   node triton_standin.js REPOSITORY    prints "listening PORT" once it serves on 127.0.0.1
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const ort = require("onnxruntime-node");

const repository = process.argv[2];
const models = new Map(); // name -> { config, sessions: Map(version -> session) }
const types = {
  FP32: ["float32", Float32Array], FP64: ["float64", Float64Array], INT32: ["int32", Int32Array],
  INT64: ["int64", BigInt64Array], INT8: ["int8", Int8Array], UINT8: ["uint8", Uint8Array],
};
const datatypeOf = (ortType) => Object.keys(types).find((k) => types[k][0] === ortType);

class Failure extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function versionsToLoad(name, config) {
  const folder = path.join(repository, name);
  const present = fs.existsSync(folder)
    ? fs.readdirSync(folder).filter((d) => /^[0-9]+$/.test(d)).map(Number).sort((a, b) => a - b) : [];
  const policy = config.version_policy || {};
  if (policy.specific) return policy.specific.versions.map(Number);
  if (policy.all) return present;
  return present.slice(-((policy.latest && policy.latest.num_versions) || 1));
}

async function load(name, parameters) {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Failure(400, `bad model name ${name}`);
  const config = parameters && parameters.config ? JSON.parse(parameters.config)
    : (models.get(name) || {}).config;
  if (!config) throw new Failure(400, `no configuration for ${name}`);
  if (config.platform !== "onnxruntime_onnx" && config.backend !== "onnxruntime")
    throw new Failure(400, `failed to load '${name}': this server has only the onnxruntime backend`);
  // As Triton: a load with files serves those files alone (the model's folder is what was sent).
  const files = Object.keys(parameters || {}).filter((k) => k.startsWith("file:"));
  if (files.length) fs.rmSync(path.join(repository, name), { recursive: true, force: true });
  for (const [key, value] of Object.entries(parameters || {})) {
    if (!key.startsWith("file:")) continue;
    const relative = path.normalize(key.slice(5));
    if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Failure(400, `bad file name ${key}`);
    const target = path.join(repository, name, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(value, "base64"));
  }
  for (const output of config.output || [])
    if (output.label_filename && !fs.existsSync(path.join(repository, name, output.label_filename)))
      throw new Failure(400, `failed to load '${name}': no label file ${output.label_filename}`);
  const sessions = new Map();
  for (const version of versionsToLoad(name, config)) {
    const file = path.join(repository, name, String(version), config.default_model_filename || "model.onnx");
    if (!fs.existsSync(file)) throw new Failure(400, `failed to load '${name}' version ${version}: no ${file}`);
    sessions.set(version, await ort.InferenceSession.create(file, { intraOpNumThreads: 1 }));
  }
  if (sessions.size === 0) throw new Failure(400, `failed to load '${name}': no version to serve`);
  models.set(name, { config, sessions });
}

function served(name, version) {
  const model = models.get(name);
  if (!model) throw new Failure(404, `Request for unknown model: '${name}' is not found`);
  const versions = [...model.sessions.keys()];
  const v = version ? Number(version) : Math.max(...versions);
  if (!model.sessions.has(v)) throw new Failure(404, `Request for unknown model: '${name}' version ${version} is not found`);
  return { model, version: v, session: model.sessions.get(v) };
}

function tensorsIn(header, binary) {
  const feeds = {};
  let offset = 0;
  for (const input of header.inputs || []) {
    const [kind, Array] = types[input.datatype] || [];
    if (!kind) throw new Failure(400, `datatype ${input.datatype} is not served here`);
    const size = input.parameters && input.parameters.binary_data_size;
    let data;
    if (size !== undefined) {
      const bytes = binary.subarray(offset, offset + size);
      offset += size;
      data = new Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    } else {
      const flat = [input.data].flat(Infinity);
      data = Array === BigInt64Array ? BigInt64Array.from(flat.map(BigInt)) : Array.from(flat);
    }
    feeds[input.name] = new ort.Tensor(kind, data, input.shape);
  }
  return feeds;
}

async function infer(name, version, body, headerLength) {
  const { session, version: v } = served(name, version);
  const header = JSON.parse(body.subarray(0, headerLength === undefined ? body.length : headerLength).toString());
  const results = await session.run(tensorsIn(header, headerLength === undefined ? Buffer.alloc(0) : body.subarray(headerLength)));
  const wanted = header.outputs && header.outputs.length ? header.outputs : session.outputNames.map((n) => ({ name: n }));
  const binaryAll = header.parameters && header.parameters.binary_data_output;
  const outputs = [], chunks = [];
  for (const o of wanted) {
    const t = results[o.name];
    if (!t) throw new Failure(400, `unexpected inference output '${o.name}'`);
    const out = { name: o.name, datatype: datatypeOf(t.type), shape: t.dims };
    if (binaryAll || (o.parameters && o.parameters.binary_data)) {
      const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      out.parameters = { binary_data_size: bytes.length };
      chunks.push(bytes);
    } else {
      out.data = Array.from(t.data, Number);
    }
    outputs.push(out);
  }
  const json = Buffer.from(JSON.stringify({ model_name: name, model_version: String(v), outputs }));
  return { body: Buffer.concat([json, ...chunks]), headerLength: chunks.length ? json.length : undefined };
}

function metadata(name, version) {
  const { model, session } = served(name, version);
  const describe = (list) => list.map((t) => ({ name: t.name, datatype: t.data_type.replace("TYPE_", ""), shape: t.dims }));
  return { name, versions: [...model.sessions.keys()].map(String), platform: model.config.platform,
    inputs: describe(model.config.input || []), outputs: describe(model.config.output || []),
    onnx_inputs: session.inputNames };
}

async function route(req, body) {
  const url = new URL(req.url, "http://localhost");
  const m = url.pathname.match(/^\/v2\/models\/([^/]+)(?:\/versions\/([0-9]+))?(\/[a-z]+)?$/);
  const r = url.pathname.match(/^\/v2\/repository\/models\/([^/]+)\/(load|unload)$/);
  if (url.pathname === "/v2")
    return { json: { name: "triton-standin", version: "0", extensions: ["model_repository", "model_configuration", "binary_tensor_data"] } };
  if (url.pathname === "/v2/health/live" || url.pathname === "/v2/health/ready") return { json: {} };
  if (url.pathname === "/v2/repository/index") {
    const list = [];
    for (const [name, model] of models) for (const v of model.sessions.keys()) list.push({ name, version: String(v), state: "READY" });
    return { json: list };
  }
  if (r && r[2] === "load") { await load(decodeURIComponent(r[1]), body.length ? JSON.parse(body).parameters : {}); return { json: {} }; }
  if (r && r[2] === "unload") { models.delete(decodeURIComponent(r[1])); return { json: {} }; }
  if (m) {
    const [name, version, verb] = [decodeURIComponent(m[1]), m[2], m[3]];
    if (!verb) return { json: metadata(name, version) };
    if (verb === "/ready") { served(name, version); return { json: {} }; }
    if (verb === "/config") return { json: served(name, version).model.config };
    if (verb === "/infer" && req.method === "POST") {
      const length = req.headers["inference-header-content-length"];
      const answer = await infer(name, version, body, length === undefined ? undefined : Number(length));
      return { raw: answer.body, headerLength: answer.headerLength };
    }
  }
  throw new Failure(404, `there is nothing at ${url.pathname}`);
}

const server = http.createServer((req, res) => {
  const parts = [];
  req.on("data", (c) => parts.push(c));
  req.on("end", async () => {
    try {
      const answer = await route(req, Buffer.concat(parts));
      const headers = { "Content-Type": answer.raw ? "application/octet-stream" : "application/json" };
      if (answer.headerLength !== undefined) headers["Inference-Header-Content-Length"] = String(answer.headerLength);
      res.writeHead(200, headers);
      res.end(answer.raw || JSON.stringify(answer.json));
    } catch (e) {
      res.writeHead(e.status || 400, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: e.message }));
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
