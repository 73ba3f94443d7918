import { useState } from 'preact/hooks';
import { apiFor, type Api } from '../api.js';
import { ErrorNote } from '../components/error-note.js';

/**
 * Sign in with an API token. The token is checked by one harmless call (the environments the principal
 * may list) and then kept in memory only; the field is a password field so it is not shown or autofilled.
 */
export const SignIn = ({ onSignedIn }: { onSignedIn: (token: string, api: Api) => void }) => {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const api = apiFor(token.trim());
    try {
      await api.listEnvironments();
      onSignedIn(token.trim(), api);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Strongroom console</h1>
      <p>Sign in with an API token. It stays in this tab’s memory only: never in a cookie or storage, and gone when you sign out or close the tab.</p>
      <form onSubmit={(e) => void submit(e)}>
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <button type="submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
      </form>
      <ErrorNote error={error} />
    </main>
  );
};
