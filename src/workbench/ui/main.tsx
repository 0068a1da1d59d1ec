/**
 * The workbench page: GraphiQL with a login bar and an "Examples" plugin listing the operations of
 * docs/operations/<role>/ (served at /workbench/examples.json). The token lives in sessionStorage,
 * so it ends with the browser tab; every request sends it as the bearer header.
 */
import { ComponentProps, FormEvent, useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import 'graphiql/style.css';
import './workbench.css';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

interface ExampleOperation {
  role: string;
  name: string;
  title: string;
  query: string;
  variables?: string;
}
interface Examples {
  roles: { role: string; label: string; demoUser: string }[];
  operations: ExampleOperation[];
}
interface Session {
  token: string;
  username: string;
  role: string;
  expiresAt: string;
}

const SESSION_KEY = 'agentnet.workbench.session';
const ENDPOINT = '/graphql';

function readSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

async function post(body: unknown, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

function LoginBar({ session, onSession, notice }: { session: Session | null; onSession: (s: Session | null) => void; notice: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const login = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const { json } = await post(
        {
          query:
            'mutation WorkbenchLogin($username: String!, $password: String!) { login(username: $username, password: $password) { token expiresAt user { username role } } }',
          variables: { username, password },
        },
        {},
      );
      const payload = json?.data?.login;
      if (!payload) {
        setError(json?.errors?.[0]?.message ?? 'Login failed');
        return;
      }
      setPassword('');
      onSession({ token: payload.token, expiresAt: payload.expiresAt, username: payload.user.username, role: payload.user.role });
    } catch (err) {
      setError(`Login failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <header className="wb-bar">
      <span className="wb-title">agentnet · GraphQL workbench</span>
      {session ? (
        <span className="wb-session">
          Logged in as <strong data-testid="wb-user">{session.username}</strong> ({session.role})
          <button type="button" className="wb-button" onClick={() => onSession(null)}>
            Log out
          </button>
        </span>
      ) : (
        <form className="wb-login" onSubmit={login} aria-label="Log in">
          <input
            name="username"
            placeholder="user (e.g. finance)"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
          <input
            name="password"
            type="password"
            placeholder="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          <button type="submit" className="wb-button" disabled={busy}>
            Log in
          </button>
        </form>
      )}
      <span className="wb-notice" role="status">
        {error || notice}
      </span>
    </header>
  );
}

function ExamplesPane({ examples }: { examples: Examples }) {
  const editor = useEditorContext({ nonNull: true });
  const open = useCallback(
    (op: ExampleOperation) => {
      // A new tab, so what is in the current one is kept; its editors are filled once it is shown.
      editor.addTab();
      setTimeout(() => {
        editor.queryEditor?.setValue(op.query);
        editor.variableEditor?.setValue(op.variables ?? '');
      }, 0);
    },
    [editor],
  );
  return (
    <div className="wb-examples">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p className="wb-hint">Ready-made operations per role. Click one to open it in a new tab, then run it (▶ or Ctrl-Enter).</p>
      {examples.roles.map((r) => {
        const ops = examples.operations.filter((o) => o.role === r.role);
        if (!ops.length) return null;
        return (
          <section key={r.role} className="wb-role">
            <h3>
              {r.label} <span className="wb-demo-user">demo user: {r.demoUser}</span>
            </h3>
            <ul>
              {ops.map((op) => (
                <li key={op.name}>
                  <button type="button" className="wb-example" data-example={`${op.role}/${op.name}`} onClick={() => open(op)}>
                    {op.title}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M4 5h16M4 10h16M4 15h10M4 20h7" strokeLinecap="round" />
    </svg>
  );
}

function Workbench({ examples }: { examples: Examples }) {
  const [session, setSessionState] = useState<Session | null>(readSession);
  const [notice, setNotice] = useState('');
  const setSession = useCallback((s: Session | null) => {
    if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else sessionStorage.removeItem(SESSION_KEY);
    setNotice('');
    setSessionState(s);
  }, []);
  const hint = session
    ? ''
    : 'Log in to run operations and browse the schema (Docs). Demo users: staff, auditor, aftersales, shop1, finance; password demo-password.';

  const fetcher = useMemo<Fetcher>(
    () => async (params, opts) => {
      const headers: Record<string, string> = { ...(opts?.headers as Record<string, string> | undefined) };
      if (session) headers.authorization = `Bearer ${session.token}`;
      const { status, json } = await post(params, headers);
      if (session && status === 401) {
        setSession(null);
        setNotice('Your session has ended: log in again.');
      }
      return json;
    },
    [session, setSession],
  );

  const plugin = useMemo<GraphiQLPlugin>(() => ({ title: 'Examples', icon: ExamplesIcon, content: () => <ExamplesPane examples={examples} /> }), [examples]);

  return (
    <div className="wb-root">
      <LoginBar session={session} onSession={setSession} notice={notice || hint} />
      <div className="wb-graphiql">
        <GraphiQL
          // A new login builds GraphiQL again, so the schema is fetched with the new token.
          key={session?.token ?? 'anonymous'}
          fetcher={fetcher}
          // Introspection is for logged-in users: without a token, no schema is asked for.
          schema={session ? undefined : null}
          plugins={[plugin]}
          visiblePlugin={plugin}
          defaultQuery={'# Log in above, then pick an example (the list icon on the left) or write a query.\n{\n  me {\n    username\n    role\n  }\n}\n'}
          defaultEditorToolsVisibility="variables"
          isHeadersEditorEnabled
        >
          <GraphiQL.Logo>agentnet</GraphiQL.Logo>
        </GraphiQL>
      </div>
    </div>
  );
}

async function start(): Promise<void> {
  const el = document.getElementById('workbench')!;
  let examples: Examples = { roles: [], operations: [] };
  try {
    const res = await fetch('/workbench/examples.json');
    if (res.ok) examples = (await res.json()) as Examples;
  } catch {
    // The page still works without the examples.
  }
  createRoot(el).render(<Workbench examples={examples} />);
}

void start();
