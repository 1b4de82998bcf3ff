// Requests in Node without undici. Node's fetch loads its bundled undici
// on first use: in Node 20 on this project's CI machine, 40 ms to evaluate
// it and 25 ms more for the first request, most of a first call's time
// (node:http: 6 ms and 14 ms). So while globalThis.fetch is still Node's
// own, the SDK's requests go through node:http; a fetch the page or a test
// put there (a mock, a polyfill) is always the one called, and so is fetch
// for anything this does not cover (a body other than a string, a Request).

const builtin = (name) => globalThis.process?.getBuiltinModule?.(name);

let checked = null; // the last globalThis.fetch looked at
let ownFetch = false; // whether it is Node's own

function isNodesFetch(f) {
  if (f !== checked) {
    checked = f;
    ownFetch = typeof f === 'function' && builtin('node:http') !== undefined &&
      /internal\/deps\/undici/.test(Function.prototype.toString.call(f));
  }
  return ownFetch;
}

/**
 * fetch(url, init) as the SDK sends its requests: through node:http where
 * that gives the same outcome, else through globalThis.fetch.
 */
export function platformFetch(url, init) {
  const f = globalThis.fetch;
  if (!isNodesFetch(f) || (typeof url !== 'string' && !(url instanceof URL)) ||
      (init?.body !== undefined && init.body !== null && typeof init.body !== 'string')) {
    return f(url, init);
  }
  return nodeFetch(new URL(url), init ?? {}, 0);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// fetch's failure: a TypeError whose cause says what happened.
const failed = (cause) => new TypeError('fetch failed', { cause });

function headerPairs(h) {
  if (h === undefined || h === null) return [];
  if (typeof h[Symbol.iterator] === 'function') return [...h].map(([k, v]) => [String(k), String(v)]);
  return Object.entries(h).map(([k, v]) => [k, String(v)]);
}

function nodeFetch(url, init, hops) {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const http = builtin(url.protocol === 'https:' ? 'node:https' : 'node:http');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(failed(new Error(`unsupported protocol ${url.protocol}`)));
  }
  const method = (init.method ?? 'GET').toUpperCase();
  const pairs = headerPairs(init.headers);
  const names = new Set(pairs.map(([k]) => k.toLowerCase()));
  // What fetch adds when the caller did not say.
  if (!names.has('accept')) pairs.push(['accept', '*/*']);
  if (!names.has('accept-encoding')) pairs.push(['accept-encoding', 'gzip, br']);
  const body = typeof init.body === 'string' && method !== 'GET' && method !== 'HEAD' ? init.body : undefined;
  if (body !== undefined) {
    if (!names.has('content-type')) pairs.push(['content-type', 'text/plain;charset=UTF-8']);
    pairs.push(['content-length', String(Buffer.byteLength(body))]);
  }
  return new Promise((resolve, reject) => {
    let req;
    const onAbort = () => {
      req?.destroy();
      reject(signal.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    try {
      const headers = {};
      for (const [k, v] of pairs) {
        const name = k.toLowerCase();
        headers[name] = headers[name] === undefined ? v : `${headers[name]}, ${v}`;
      }
      req = http.request(url, { method, headers });
    } catch (e) {
      done();
      reject(failed(e));
      return;
    }
    req.on('error', (e) => {
      done();
      reject(signal?.aborted ? signal.reason : failed(e));
    });
    req.on('response', (res) => {
      const status = res.statusCode;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location !== undefined && init.redirect !== 'manual') {
        res.resume();
        done();
        if (init.redirect === 'error') {
          reject(failed(new Error('unexpected redirect')));
          return;
        }
        if (hops >= 20) {
          reject(failed(new Error('redirect count exceeded')));
          return;
        }
        let next;
        try {
          next = new URL(location, url);
        } catch (e) {
          reject(failed(e));
          return;
        }
        const again = { ...init };
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          again.method = method === 'HEAD' ? 'HEAD' : 'GET';
          delete again.body;
          again.headers = headerPairs(init.headers).filter(([k]) => !/^content-/i.test(k));
        }
        if (next.origin !== url.origin) {
          again.headers = headerPairs(again.headers).filter(([k]) => !/^(authorization|cookie)$/i.test(k));
        }
        resolve(nodeFetch(next, again, hops + 1).then((r) => ((r.redirected = true), r)));
        return;
      }
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (e) => {
        done();
        reject(signal?.aborted ? signal.reason : failed(e));
      });
      res.on('end', () => {
        done();
        resolve(new NodeResponse(url, res, decode(Buffer.concat(chunks), res.headers['content-encoding'])));
      });
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

function decode(bytes, encoding) {
  if (!encoding || bytes.length === 0) return bytes;
  const zlib = builtin('node:zlib');
  switch (encoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      // zlib-wrapped as the standard says, or raw as some servers send it
      try {
        return zlib.inflateSync(bytes);
      } catch {
        return zlib.inflateRawSync(bytes);
      }
    case 'br':
      return zlib.brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}

// The part of a Response the SDK reads (status, text, headers); headers
// become a Headers object only when read, since making one loads undici.
class NodeResponse {
  #raw;
  #bytes;
  #headers = null;

  constructor(url, res, bytes) {
    this.url = url.href;
    this.status = res.statusCode;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.redirected = false;
    this.type = 'basic';
    this.bodyUsed = false;
    this.#raw = res.rawHeaders;
    this.#bytes = bytes;
  }

  get headers() {
    if (this.#headers === null) {
      const h = new Headers();
      for (let i = 0; i + 1 < this.#raw.length; i += 2) h.append(this.#raw[i], this.#raw[i + 1]);
      this.#headers = h;
    }
    return this.#headers;
  }

  #take() {
    if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.bodyUsed = true;
    return Promise.resolve(this.#bytes);
  }

  text() {
    return this.#take().then((b) => b.toString('utf8'));
  }

  json() {
    return this.text().then(JSON.parse);
  }

  arrayBuffer() {
    return this.#take().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
}
