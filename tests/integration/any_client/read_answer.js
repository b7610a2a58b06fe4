#!/usr/bin/env node
// Calls one unary slihub RPC the way a Node application does (@grpc/grpc-js with
// @grpc/proto-loader, both from tools/node_modules) and prints two base64 lines: the answer's
// bytes as they arrived, then what the Node client decoded from them, encoded again as protobuf.
// The C++ test parses both and compares its own reading of the answer with the Node client's: a
// field the Node client lost or read differently shows.
//
//   node read_answer.js --node-modules DIR --protos DIR --endpoint HOST:PORT
//       --method /pkg.Service/Method --request-base64 BYTES [--token TOKEN]
//
// The request is sent exactly as given (the C++ test's serialized request). Exit 0 with the
// two base64 lines on stdout; exit 1 with "code message" on stderr when the call fails; exit 2 on a
// usage error.
'use strict';

const path = require('path');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      process.stderr.write(`usage: bad argument ${argv[i]}\n`);
      process.exit(2);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['node-modules', 'protos', 'endpoint', 'method', 'request-base64']) {
    if (args[required] === undefined) {
      process.stderr.write(`usage: --${required} is required\n`);
      process.exit(2);
    }
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const grpc = require(path.join(args['node-modules'], '@grpc/grpc-js'));
const protoLoader = require(path.join(args['node-modules'], '@grpc/proto-loader'));

// The service's .proto files: every service file of the contract, so any method can be named.
const SERVICE_FILES = [
  'slihub/common/v1/diagnostics_service.proto',
  'slihub/common/v1/reference_data_service.proto',
  'slihub/datacollection/v1/datacollection_service.proto',
  'slihub/peerreview/v1/peerreview_service.proto',
  'slihub/placement/v1/placement_service.proto',
  'slihub/workforce/v1/workforce_service.proto',
];

// The options most Node code uses with proto-loader (as in grpc-node's examples).
const definition = protoLoader.loadSync(SERVICE_FILES, {
  includeDirs: [args.protos],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
});

const match = /^\/([^/]+)\/([^/]+)$/.exec(args.method);
const service = match && definition[match[1]];
const method = service && service[match[2]];
if (!method || method.requestStream || method.responseStream) {
  process.stderr.write(`usage: ${args.method} is not a unary method of the contract\n`);
  process.exit(2);
}

// --ca-cert: server-authenticated TLS trusting that CA (the hub's listeners run TLS).
const credentials = args['ca-cert']
  ? grpc.credentials.createSsl(require('fs').readFileSync(args['ca-cert']))
  : grpc.credentials.createInsecure();
const client = new grpc.Client(args.endpoint, credentials);
const metadata = new grpc.Metadata();
if (args.token) metadata.set('authorization', `Bearer ${args.token}`);
const request = Buffer.from(args['request-base64'], 'base64');
const deadline = new Date(Date.now() + 20000);

// The answer is kept as bytes and decoded below with the method's own responseDeserialize,
// exactly what grpc-js does with it when given that function.
client.makeUnaryRequest(
  method.path, (bytes) => bytes, (bytes) => bytes, request, metadata, { deadline },
  (error, bytes) => {
    client.close();
    if (error) {
      process.stderr.write(`${error.code} ${error.details}\n`);
      process.exit(1);
    }
    const answer = method.responseDeserialize(bytes);
    process.stdout.write(`${bytes.toString('base64')}\n`);
    process.stdout.write(`${method.responseSerialize(answer).toString('base64')}\n`);
  });
