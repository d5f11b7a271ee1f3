// The viewer's server: the real CLI as a child process. It serves only its four resources, on
// 127.0.0.1 only, answers 404 to path traversal in all its spellings, refuses foreign Host
// headers, reports a taken port as a usage error, and stops cleanly on Ctrl-C.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, connect, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, fixture, recordTrace, runCli, serve, tempDir, type Served } from './fixtures/viewer/harness.js';

let trace: string;
let served: Served;
let port: number;

/** A raw GET: the path goes on the wire exactly as given (no URL normalisation). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('latin1').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Local addresses of listening TCP sockets on a port, from /proc/net/tcp and tcp6. */
function listeners(onPort: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== '0A') continue; // LISTEN
      const [address, hexPort] = fields[1]!.split(':');
      if (parseInt(hexPort!, 16) === onPort) out.push(`${file.endsWith('6') ? 'tcp6' : 'tcp'} ${address}`);
    }
  }
  return out;
}

beforeAll(async () => {
  assertBuilt();
  trace = await recordTrace(fixture('xss.ts'), join(tempDir('server'), 'small.trace'));
  served = await serve(['view', '--no-open', trace]);
  port = Number(new URL(served.url).port);
}, 60_000);

afterAll(async () => {
  await served?.stop();
});

describe('async-prof view: the server', () => {
  it('prints the URL on its own line and serves the page, the script, the stylesheet and the data', async () => {
    expect(served.stdout().split('\n')).toContain(served.url);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(page.body).toContain('<script src="app.js"></script>');
    for (const [path, type] of [
      ['/app.js', 'text/javascript'],
      ['/style.css', 'text/css'],
      ['/data/view.bin', 'application/octet-stream'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(String(res.headers['content-type']), path).toContain(type);
    }
    expect((await get('/data/view.bin')).body.startsWith('APVIEW01')).toBe(true);
  });

  it('answers 404 to path traversal, encoded or not, and to every other path', async () => {
    const paths = [
      '/../../etc/passwd',
      '/../../../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E/%2E%2E/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/%252e%252e/%252e%252e/etc/passwd',
      '/..%5c..%5cetc%5cpasswd',
      '/..\\..\\etc\\passwd',
      '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
      '/app.js/../../../etc/passwd',
      '/data/../../etc/passwd',
      '/data/view.bin/..%2f..%2f..%2fetc%2fpasswd',
      '//etc/passwd',
      '/etc/passwd',
      '/package.json',
      '/dist/cli.js',
      '/dist/viewer/app.js',
      '/viewer/',
      '/data/',
      '/app.js.map',
      '/%',
      '/index.html',
      `/${encodeURIComponent(trace)}`,
    ];
    for (const path of paths) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('root:');
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const sockets = listeners(port);
    if (sockets.length > 0) expect(sockets).toEqual(['tcp 0100007F']); // 127.0.0.1, little-endian hex
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      const refused = await new Promise<string>((resolve) => {
        const socket = connect({ host: external.address, port }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
    expect(sockets.length > 0 || external !== undefined).toBe(true);
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    expect((await get('/', { host: 'attacker.example' })).status).toBe(403);
    expect((await get('/data/view.bin', { host: `attacker.example:${port}` })).status).toBe(403);
    expect((await get('/', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('gives a one-line error and exit 2 when an explicit port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const result = await runCli(['view', '--no-open', '--port', String(taken), trace]);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${taken} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('rejects a bad port and a missing trace', async () => {
    expect((await runCli(['view', '--port', 'abc', trace])).code).toBe(2);
    const missing = await runCli(['view', '--no-open', 'no/such.trace']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('keeps serving when no browser can be opened, and exits 0 on Ctrl-C', async () => {
    const headless = await serve(['view', '--port', '0', trace], { DISPLAY: '', WAYLAND_DISPLAY: '', BROWSER: '' });
    try {
      await expect.poll(() => headless.stderr()).toContain('could not open a browser');
      const res = await new Promise<number>((resolve, reject) => {
        request(headless.url, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(res).toBe(200);
    } finally {
      expect(await headless.stop()).toBe(0);
    }
  });

  it('serves after `run` when asked for a port, then ends with the script exit code', async () => {
    const run = await serve(['run', '--no-open', '--port', '0', '--out', join(tempDir('server-run'), 'run.trace'), fixture('xss.ts')], { CI: '' });
    try {
      // The report comes first (stderr), then the URL on its own line (stdout).
      expect(run.stderr()).toContain('async-prof');
      expect(run.stdout().split('\n')).toContain(run.url);
    } finally {
      const code = await run.stop();
      expect(code).toBe(0);
    }
  });

  it('does not serve after `run` on CI unless a port is given', async () => {
    const result = await runCli(['run', '--no-open', '--out', join(tempDir('server-ci'), 'ci.trace'), fixture('xss.ts')], { env: { CI: 'true' }, timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('CI detected, not serving');
  });
});
