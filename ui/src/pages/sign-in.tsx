import { useState } from 'preact/hooks';
import { apiFor, type Api } from '../api.js';
import { ErrorNote } from '../components/error-note.js';
import { rightsOf, type Rights } from '../logic/permissions.js';

/**
 * Sign in with an API token. The token is checked by one harmless call that needs no capability and
 * records nothing (DescribeCaller: who it is and what it may do, which the console offers from then on),
 * and then kept in memory only; the field is a password field so it is not shown or autofilled.
 */
export const SignIn = ({ onSignedIn }: { onSignedIn: (token: string, api: Api, rights: Rights) => void }) => {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Inside the try: the SDK refuses a token a header cannot carry before any request.
      const api = apiFor(token.trim());
      const me = await api.describeCaller();
      onSignedIn(token.trim(), api, rightsOf(me.environments));
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
