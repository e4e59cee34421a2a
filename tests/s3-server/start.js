'use strict';

// An S3-compatible server for the session store tests: s3rver on 127.0.0.1, on a free port, storing its objects in a
// directory of its own. It verifies SigV4 signatures (access key S3RVER, secret S3RVER) and serves path-style requests.
//
//   node start.js [--dir <directory>] [--bucket <name>]... [--region <region>]
//
// Prints "S3RVER_LISTENING http://127.0.0.1:<port>" once it accepts requests, and exits when its standard input
// closes, so that it never outlives the test process that started it.
//
// Where s3rver is weaker than Amazon S3, this script makes it as strict:
//  - conditional writes: a PUT with "If-None-Match: *" on an object that exists (or is being written by another such
//    PUT) fails with 412 PreconditionFailed;
//  - atomic objects: s3rver writes an object's bytes in place and its MD5 separately, so a reader racing a writer
//    could see a torn object. Here an object is written to a temporary file and renamed, and the requests on one key
//    run one at a time (a GET's body is read before the next request on that key starts);
//  - authentication: s3rver accepts any SigV4 signature and anonymous requests. Here every request must be signed
//    with SigV4 by S3RVER / S3RVER for the server's region (--region, default us-east-1) and service s3, within 15
//    minutes of the server's clock, and a signed payload hash (x-amz-content-sha256) must match the body.

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const S3rver = require('s3rver');
const S3Error = require('s3rver/lib/models/error');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

let temporaryCounter = 0;
const requestBodies = new WeakMap(); // request -> its body, read once for the payload hash check
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

// The object's bytes land in place with one rename, and only then its MD5 and metadata (under the key's lock).
FilesystemStore.prototype.putObject = async function putObject(object) {
  const content = Buffer.isBuffer(object.content)
    ? object.content
    : requestBodies.get(object.content) || (await readAll(object.content));
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  const temporary = `${objectPath}.${process.pid}.${temporaryCounter++}.tmp`;
  await fs.promises.writeFile(temporary, content);
  await fs.promises.rename(temporary, objectPath);
  const md5 = crypto.createHash('md5').update(content).digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: content.length, md5 };
};

function sha256Hex(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data).digest();
}

function rfc3986(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function denied(code, message) {
  return new S3Error(code, message);
}

// SigV4 as S3 checks it: canonical request over the raw path, the sorted query, the signed headers and the payload
// hash header; the scope's date, region and service; the clock skew; the payload hash against the body.
function sigV4(region) {
  return async function verifySignature(ctx, next) {
    const authorization = ctx.get('authorization');
    if (!authorization) {
      throw denied('AccessDenied', 'Access Denied');
    }
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) {
      throw denied('AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    }
    const [, accessKey, scopeDate, scopeRegion, service, signedHeaderList, signature] = match;
    if (accessKey !== ACCESS_KEY) {
      throw denied('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    }
    if (scopeRegion !== region || service !== 's3') {
      throw denied('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`);
    }
    const amzDate = ctx.get('x-amz-date');
    const time = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate);
    if (!time || amzDate.slice(0, 8) !== scopeDate) {
      throw denied('AccessDenied', 'X-Amz-Date is missing, malformed, or does not match the credential scope.');
    }
    const signedAt = Date.UTC(+time[1], +time[2] - 1, +time[3], +time[4], +time[5], +time[6]);
    if (Math.abs(Date.now() - signedAt) > 15 * 60 * 1000) {
      throw denied('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    }

    const body = await readAll(ctx.req);
    requestBodies.set(ctx.req, body);
    const payloadHash = ctx.get('x-amz-content-sha256');
    if (!payloadHash) {
      throw denied('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    }
    if (payloadHash !== 'UNSIGNED-PAYLOAD') {
      if (!/^[0-9a-f]{64}$/.test(payloadHash)) {
        throw denied('NotImplemented', 'Only whole signed payloads and UNSIGNED-PAYLOAD are supported.');
      }
      if (sha256Hex(body) !== payloadHash) {
        throw denied('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
    }

    const [rawPath, rawQuery = ''] = ctx.req.url.split(/\?(.*)/s);
    const query = rawQuery
      .split('&')
      .filter(pair => pair !== '')
      .map(pair => {
        const [key, value = ''] = pair.split(/=(.*)/s);
        return [rfc3986(decodeURIComponent(key.replace(/\+/g, ' '))), rfc3986(decodeURIComponent(value.replace(/\+/g, ' ')))];
      })
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    const signedHeaders = signedHeaderList.split(';');
    if (!signedHeaders.includes('host')) {
      throw denied('AccessDenied', 'The host header must be signed.');
    }
    const canonicalHeaders = signedHeaders
      .map(name => `${name}:${String(ctx.req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
      .join('');
    const canonicalRequest = [ctx.method, rawPath, query, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
    const scope = `${scopeDate}/${scopeRegion}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_KEY}`, scopeDate), scopeRegion), service), 'aws4_request');
    const expected = hmac(key, stringToSign).toString('hex');
    if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
      throw denied('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    return next();
  };
}

function parseArguments(argv) {
  const options = { dir: undefined, buckets: [], region: 'us-east-1' };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if ((name === '--dir' || name === '--bucket' || name === '--region') && value === undefined) {
      throw new Error(`${name} needs a value`);
    }
    if (name === '--dir') {
      options.dir = value;
      i++;
    } else if (name === '--bucket') {
      options.buckets.push(value);
      i++;
    } else if (name === '--region') {
      options.region = value;
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
  // And the signature check first of all, on the request exactly as it arrived (s3rver's error middleware, which
  // renders S3 errors, is registered in its constructor's context, so errors thrown here are rendered the same way).
  server.middleware.splice(1, 0, sigV4(options.region));

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
