'use strict';

// An S3-compatible server for the session store tests: s3rver on 127.0.0.1, on a free port, storing its objects in a
// directory of its own. It verifies SigV4 signatures (access key S3RVER, secret S3RVER) and serves path-style requests.
//
//   node start.js [--dir <directory>] [--bucket <name>]...
//
// Prints "S3RVER_LISTENING http://127.0.0.1:<port>" once it accepts requests, and exits when its standard input
// closes, so that it never outlives the test process that started it.
//
// Where s3rver is weaker than Amazon S3, this script makes it as strict:
//  - conditional writes: a PUT with "If-None-Match: *" on an object that exists (or is being written by another such
//    PUT) fails with 412 PreconditionFailed;
//  - atomic objects: s3rver writes an object's bytes in place and its MD5 separately, so a reader racing a writer
//    could see a torn object. Here an object is written to a temporary file and renamed, and the requests on one key
//    run one at a time (a GET's body is read before the next request on that key starts).

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const S3rver = require('s3rver');
const S3Error = require('s3rver/lib/models/error');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

let temporaryCounter = 0;

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

// The object's bytes land in place with one rename, and only then its MD5 and metadata (under the key's lock).
FilesystemStore.prototype.putObject = async function putObject(object) {
  const content = Buffer.isBuffer(object.content) ? object.content : await readAll(object.content);
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  const temporary = `${objectPath}.${process.pid}.${temporaryCounter++}.tmp`;
  await fs.promises.writeFile(temporary, content);
  await fs.promises.rename(temporary, objectPath);
  const md5 = crypto.createHash('md5').update(content).digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: content.length, md5 };
};

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

// Runs after s3rver's virtual-host middleware (so the path is /<bucket>/<key>) and before its router.
function objectConsistency() {
  const tails = new Map(); // key -> the promise the next request on that key waits for
  return async function consistentObject(ctx, next) {
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (!match || Object.keys(ctx.query).length > 0) {
      return next();
    }
    const [, bucket, key] = match;
    const id = `${bucket}/${key}`;
    const previous = tails.get(id) || Promise.resolve();
    let release;
    const mine = new Promise(resolve => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(id, tail);
    await previous;
    try {
      const condition = ctx.get('if-none-match');
      if (ctx.method === 'PUT' && condition !== '' && !ctx.get('x-amz-copy-source')) {
        if (condition !== '*') {
          throw new S3Error('NotImplemented', 'Only If-None-Match: * is supported on PUT.');
        }
        if (await ctx.app.store.existsObject(bucket, key)) {
          throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
        }
      }
      await next();
      if (ctx.body && typeof ctx.body.pipe === 'function') {
        // Read the object while the key is still ours, so a later PUT cannot replace it mid-response.
        const length = ctx.length;
        ctx.body = await readAll(ctx.body);
        if (length !== undefined) ctx.length = length;
      }
    } finally {
      release();
      if (tails.get(id) === tail) tails.delete(id);
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
  // Insert the middleware just before the router (the last middleware s3rver registers).
  server.middleware.splice(server.middleware.length - 1, 0, objectConsistency());

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
