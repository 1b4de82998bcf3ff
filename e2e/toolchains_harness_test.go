package e2e_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The toolchain projects: e2e/toolchains (and its vite6/ folder) pin the
// bundlers, frameworks and runners with a lock file; `npm ci` installs
// them once (again only when the lock changes), and the packed SDK is
// unpacked into their node_modules, as npm would install it.
var (
	toolchainOnce sync.Once
	toolchainErr  error
	tarballPath   string
)

func toolchainDir(sub ...string) string {
	return filepath.Join(append([]string{repoRoot, "e2e", "toolchains"}, sub...)...)
}

func setupToolchains(t *testing.T) {
	t.Helper()
	toolchainOnce.Do(func() { toolchainErr = installToolchains() })
	require.NoError(t, toolchainErr)
}

func installToolchains() error {
	for _, dir := range []string{toolchainDir(), toolchainDir("vite6")} {
		if err := npmCI(dir); err != nil {
			return err
		}
	}
	work, err := os.MkdirTemp("", "pack")
	if err != nil {
		return err
	}
	cmd := exec.Command("npm", "pack", "--pack-destination", work, "--loglevel=error")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm pack: %v\n%s", err, out)
	}
	matches, _ := filepath.Glob(filepath.Join(work, "nhost-auth-wasm-*.tgz"))
	if len(matches) != 1 {
		return fmt.Errorf("npm pack made %d tarballs", len(matches))
	}
	tarballPath = matches[0]
	for _, dir := range []string{toolchainDir(), toolchainDir("vite6")} {
		if err := unpackPackage(tarballPath, filepath.Join(dir, "node_modules", "nhost-auth-wasm")); err != nil {
			return err
		}
	}
	return nil
}

// npmCI runs `npm ci` in dir unless node_modules is from the current lock.
func npmCI(dir string) error {
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return err
	}
	stamp := filepath.Join(dir, "node_modules", ".e2e-lock")
	if have, err := os.ReadFile(stamp); err == nil && string(have) == string(lock) {
		return nil
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci in %s: %v\n%s", dir, err, out)
	}
	return os.WriteFile(stamp, lock, 0o644)
}

// unpackPackage extracts an npm tarball (its package/ folder) into dir.
func unpackPackage(tarball, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	f, err := os.Open(tarball)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name, ok := strings.CutPrefix(h.Name, "package/")
		if !ok || h.Typeflag != tar.TypeReg || strings.Contains(name, "..") {
			continue
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, tr)
		out.Close()
		if err != nil {
			return err
		}
	}
}

// newApp makes an app folder under the toolchain project in base (so
// that it resolves the project's packages) with the given files; its
// node_modules is a link to the project's, as if installed in place.
func newApp(t *testing.T, base, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(base, ".apps", name)
	require.NoError(t, os.RemoveAll(dir))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.Symlink(filepath.Join(base, "node_modules"), filepath.Join(dir, "node_modules")))
	for f, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		write(t, filepath.Dir(p), filepath.Base(p), content)
	}
	return dir
}

// startProcess runs a server in its own process group and stops the whole
// group when the test ends; it returns once url answers.
func startProcess(t *testing.T, dir, url string, env []string, name string, args ...string) *outputLog {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out := &outputLog{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-done:
			t.Fatalf("%s exited early:\n%s", name, out)
		default:
		}
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer on %s:\n%s", name, url, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

type outputLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (o *outputLog) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *outputLog) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// serveDir serves a built app on a loopback port; "/" is index.html.
func serveDir(t *testing.T, dir string) string {
	port := serveLoopback(t, http.FileServer(http.Dir(dir)))
	return fmt.Sprintf("http://localhost:%d/", port)
}

// The app every browser toolchain builds: window.nhostTest drives the
// client that the page made with createClient({authUrl: ?auth=…}).
const appJS = `import { createClient, FetchError } from 'nhost-auth-wasm';

export function install(options = {}) {
  const authUrl = new URLSearchParams(location.search).get('auth');
  const nhost = createClient({ authUrl, ...options });
  window.nhostTest = {
    async signUp(email) {
      const r = await nhost.auth.signUpEmailPassword({ email, password: 'Passw0rd!' });
      return r.body.session.user.email;
    },
    session: () => nhost.getUserSession()?.user?.email ?? null,
    async me() {
      return (await nhost.auth.getUser()).body.email;
    },
    async signOut() {
      await nhost.auth.signOut({ refreshToken: nhost.getUserSession().refreshToken });
      return nhost.getUserSession();
    },
    async wrongPassword(email) {
      try {
        await nhost.auth.signInEmailPassword({ email, password: 'wrong' });
        return 'resolved';
      } catch (e) {
        return (e instanceof FetchError) + ':' + e.status + ':' + e.body.error;
      }
    },
  };
}
`

// browserFlow opens url?auth=… and runs sign-up, reload, getUser, sign-out
// and a wrong password through the page's own bundle of the SDK. A dev
// server may reload the page once after its first visit (Vite does when
// it has optimized dependencies it discovered), so a dev server gets a
// first visit to settle.
func browserFlow(t *testing.T, pageURL, authURL, email string, devServer ...bool) {
	t.Helper()
	ctx := tab(t)
	browserFlowIn(t, ctx, pageURL+"?auth="+authURL, authURL, email, len(devServer) > 0 && devServer[0], nil)
}

// browserFlowIn is browserFlow in a given tab; check (if set) runs after
// the reload ("signed in") and after sign-out ("signed out").
func browserFlowIn(t *testing.T, ctx context.Context, url, authURL, email string, devServer bool, check func(stage string)) {
	t.Helper()
	nav := func() {
		tctx, c := context.WithTimeout(ctx, 90*time.Second)
		defer c()
		require.NoError(t, chromedp.Do(tctx, chromedp.Navigate(url)))
	}
	const wait = `for (let i = 0; i < 600 && !window.nhostTest; i++) await new Promise((r) => setTimeout(r, 50));
if (!window.nhostTest) throw new Error('the app did not start');
`
	nav()
	if devServer {
		var started bool
		run(t, ctx, nil, wait+`return true;`, &started)
		time.Sleep(1500 * time.Millisecond)
		nav()
	}
	var signedUp string
	run(t, ctx, map[string]any{"EMAIL": email}, wait+`return nhostTest.signUp(EMAIL);`, &signedUp)
	assert.Equal(t, email, signedUp)

	nav() // a reload keeps the user signed in
	var after struct{ Session, Me, Wrong string }
	run(t, ctx, map[string]any{"EMAIL": email}, wait+`
const session = nhostTest.session();
return { session, me: await nhostTest.me(), wrong: await nhostTest.wrongPassword(EMAIL) };`, &after)
	assert.Equal(t, email, after.Session, "the session survives a reload")
	assert.Equal(t, email, after.Me)
	assert.Equal(t, "true:401:invalid-email-password", after.Wrong)
	if check != nil {
		check("signed in")
	}

	var out any
	run(t, ctx, nil, wait+`return nhostTest.signOut();`, &out)
	assert.Nil(t, out)
	nav()
	var session *string
	run(t, ctx, nil, wait+`return nhostTest.session();`, &session)
	assert.Nil(t, session, "signed out after a reload")
	if check != nil {
		check("signed out")
	}
}
