package e2e_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A Next.js 15 app (App Router) with no configuration for the SDK: a
// client component signs in with the session in a cookie, a server
// action and a route handler read it with createServerClient, and Edge
// middleware reads it with getUserSession(). Built and started, and in
// both dev servers (webpack and Turbopack).
func nextApp(t *testing.T, name string) string {
	return newApp(t, toolchainDir(), name, map[string]string{
		"package.json": `{"name":"app","private":true}`,
		"app-lib.js":   appJS,
		"session-cookie.js": `// The session cookie as the browser's CookieStorage writes it.
export const cookieStorage = (read, write = () => {}, drop = () => {}) => ({
  get() {
    const v = read();
    if (!v) return null;
    try { return JSON.parse(v); } catch { return JSON.parse(decodeURIComponent(v)); }
  },
  set: (session) => write(encodeURIComponent(JSON.stringify(session))),
  remove: drop,
});
`,
		"app/layout.js": `export default function RootLayout({ children }) {
  return <html><body>{children}</body></html>;
}
`,
		"app/page.js": `'use client';
import { useEffect, useState } from 'react';
import { CookieStorage } from 'nhost-auth-wasm';
import { install } from '../app-lib.js';
import { whoAmI } from './actions.js';

export default function Page() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    install({ storage: new CookieStorage() });
    window.nhostTest.serverAction = () => whoAmI();
    window.nhostTest.routeHandler = async () => {
      const r = await fetch('/api/me');
      return { status: r.status, email: (await r.json()).email ?? null, middleware: r.headers.get('x-signed-in-as') };
    };
    setReady(true);
  }, []);
  return <p id="state">{ready ? 'ready' : 'starting'}</p>;
}
`,
		"app/actions.js": `'use server';
import { cookies } from 'next/headers';
import { createServerClient } from 'nhost-auth-wasm';
import { cookieStorage } from '../session-cookie.js';

export async function whoAmI() {
  const jar = await cookies();
  const nhost = createServerClient({
    authUrl: process.env.AUTH_URL,
    storage: cookieStorage(() => jar.get('nhostSession')?.value, (v) => jar.set('nhostSession', v), () => jar.delete('nhostSession')),
  });
  if (!nhost.getUserSession()) return null;
  return (await nhost.auth.getUser()).body.email;
}
`,
		"app/api/me/route.js": `import { createServerClient } from 'nhost-auth-wasm';
import { cookieStorage } from '../../../session-cookie.js';

export async function GET(request) {
  const nhost = createServerClient({
    authUrl: process.env.AUTH_URL,
    storage: cookieStorage(() => request.cookies.get('nhostSession')?.value),
  });
  if (!nhost.getUserSession()) return Response.json({ email: null }, { status: 401 });
  const me = await nhost.auth.getUser();
  return Response.json({ email: me.body.email });
}
`,
		"middleware.js": `import { NextResponse } from 'next/server';
import { createServerClient } from 'nhost-auth-wasm';
import { cookieStorage } from './session-cookie.js';

export function middleware(request) {
  const nhost = createServerClient({
    authUrl: process.env.AUTH_URL ?? 'http://localhost',
    storage: cookieStorage(() => request.cookies.get('nhostSession')?.value),
  });
  const res = NextResponse.next();
  res.headers.set('x-signed-in-as', nhost.getUserSession()?.user?.email ?? '');
  return res;
}

export const config = { matcher: '/api/:path*' };
`,
	})
}

func nextFlow(t *testing.T, url, authURL, email string) {
	t.Helper()
	ctx := tab(t)
	page := url + "?auth=" + authURL
	browserFlowIn(t, ctx, page, authURL, email, true, func(stage string) {
		type server struct {
			Action string
			Route  struct {
				Status     int
				Email      string
				Middleware string
			}
		}
		var s server
		run(t, ctx, nil, `for (let i = 0; i < 600 && !window.nhostTest?.serverAction; i++) await new Promise((r) => setTimeout(r, 50));
return { action: await nhostTest.serverAction(), route: await nhostTest.routeHandler() };`, &s)
		switch stage {
		case "signed in":
			assert.Equal(t, email, s.Action, "server action")
			assert.Equal(t, 200, s.Route.Status)
			assert.Equal(t, email, s.Route.Email, "route handler")
			assert.Equal(t, email, s.Route.Middleware, "Edge middleware")
		case "signed out":
			assert.Empty(t, s.Action)
			assert.Equal(t, 401, s.Route.Status)
			assert.Empty(t, s.Route.Middleware)
		}
	})
}

func TestNextJS(t *testing.T) {
	setupToolchains(t)
	emu := emulator(t)
	next := filepath.Join(toolchainDir(), "node_modules", "next", "dist", "bin", "next")
	env := []string{"AUTH_URL=" + emu.URL, "NEXT_TELEMETRY_DISABLED=1"}
	t.Run("build-start", func(t *testing.T) {
		dir := nextApp(t, "next-build")
		out := sh(t, dir, env, "node", next, "build")
		assert.NotContains(t, out, "nhost-auth-wasm", "no warnings about the SDK")
		port := freePort(t)
		url := fmt.Sprintf("http://localhost:%d/", port)
		startProcess(t, dir, url, env, "node", next, "start", "-p", fmt.Sprint(port), "-H", "127.0.0.1")
		nextFlow(t, url, emu.URL, "next-build@example.com")
	})
	for _, dev := range []struct{ name, flag string }{{"dev-webpack", ""}, {"dev-turbopack", "--turbopack"}} {
		t.Run(dev.name, func(t *testing.T) {
			dir := nextApp(t, "next-"+dev.name)
			port := freePort(t)
			url := fmt.Sprintf("http://localhost:%d/", port)
			args := []string{next, "dev", "-p", fmt.Sprint(port), "-H", "127.0.0.1"}
			if dev.flag != "" {
				args = append(args, dev.flag)
			}
			startProcess(t, dir, url, env, "node", args...)
			nextFlow(t, url, emu.URL, "next-"+dev.name+"@example.com")
		})
	}
}
