'use strict';

// An S3-compatible server for the session store tests: s3rver on 127.0.0.1, on a free port, storing its objects in a
// directory of its own. It verifies SigV4 signatures (access key S3RVER, secret S3RVER) and serves path-style requests.
//
//   node start.js [--dir <directory>] [--bucket <name>]...
//
// Prints "S3RVER_LISTENING http://127.0.0.1:<port>" once it accepts requests, and exits when its standard input
// closes, so that it never outlives the test process that started it.
//
// s3rver predates S3's conditional writes; this script adds them: a PUT with "If-None-Match: *" on an object that
// exists (or is being written by another such PUT) fails with 412 PreconditionFailed, as it does on Amazon S3.

const fs = require('fs');
const os = require('os');
const path = require('path');
const S3rver = require('s3rver');
const S3Error = require('s3rver/lib/models/error');

function parseArguments(argv) {
  const options = { dir: undefined, buckets: [] };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if ((name === '--dir' || name === '--bucket') && value === undefined) {
      throw new Error(`${name} needs a value`);
    }
    if (name === '--dir') {
      options.dir = value;
      i++;
    } else if (name === '--bucket') {
      options.buckets.push(value);
      i++;
    } else {
      throw new Error(`unknown argument: ${name}`);
    }
  }
  return options;
}

// Conditional PUT: runs after s3rver's virtual-host middleware (so the path is /<bucket>/<key>) and before its router.
function conditionalWrites() {
  const inFlight = new Set();
  return async function conditionalWrite(ctx, next) {
    const condition = ctx.get('if-none-match');
    const isObjectPut = ctx.method === 'PUT' && Object.keys(ctx.query).length === 0 && !ctx.get('x-amz-copy-source');
    if (!isObjectPut || condition === '') {
      return next();
    }
    if (condition !== '*') {
      throw new S3Error('NotImplemented', 'Only If-None-Match: * is supported on PUT.');
    }
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (!match) {
      return next();
    }
    const [, bucket, key] = match;
    const id = `${bucket}/${key}`;
    // The check and the claim happen in one turn of the event loop, so two concurrent PUTs cannot both pass.
    if (inFlight.has(id)) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
    }
    inFlight.add(id);
    try {
      if (await ctx.app.store.existsObject(bucket, key)) {
        throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
      }
      await next();
    } finally {
      inFlight.delete(id);
    }
  };
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const directory = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  fs.mkdirSync(directory, { recursive: true });

  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: options.buckets.map(name => ({ name })),
  });
  // Insert the conditional-write middleware just before the router (the last middleware s3rver registers).
  server.middleware.splice(server.middleware.length - 1, 0, conditionalWrites());

  const { port } = await server.run();
  process.stdout.write(`S3RVER_LISTENING http://127.0.0.1:${port}\n`);

  const stop = () => server.close().finally(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(err => {
  process.stderr.write(`s3rver failed to start: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
