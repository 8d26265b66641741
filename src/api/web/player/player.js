// The player page of one stream, served at /{path}/: plays /{path}/whep with WhepPlayer, shows
// what happens, signs in when the server wants credentials.
//
// Query parameters: ?token=<JWT or API token> (kept for this tab, then dropped from the address
// bar), ?stats=0 (start with the statistics hidden).
// For tests: window.ocellusPlayer = {player, video, pc, stats, state}.
import { StatsOverlay, StatsSampler } from './stats.js';
import { WhepPlayer } from './whep.js';

const kTokenKey = 'ocellus.accessToken';
const kStatsKey = 'ocellus.player.stats';

const $ = (id) => document.getElementById(id);
const video = $('video');
const statusLine = $('status');
const signin = $('signin');
const signinError = $('signin-error');
const unmute = $('unmute');
const resume = $('resume');
const retryButton = $('retry');
const statsToggle = $('toggle-stats');

const streamPath = decodeURIComponent(location.pathname).replace(/^\/+|\/+$/g, '');
const whepUrl = new URL('whep', location.href).href;
$('title').textContent = streamPath;
document.title = `${streamPath} · Ocellus`;

// --- credentials ------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
let token = params.get('token');
if (token) {
  sessionStorage.setItem(kTokenKey, token);
  params.delete('token'); // keep it out of the history, bookmarks and screenshots
  const rest = params.toString();
  history.replaceState(history.state, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
} else {
  token = sessionStorage.getItem(kTokenKey);
}

function showSignin(title, error = '') {
  $('signin-title').textContent = title;
  signinError.textContent = error;
  signin.hidden = false;
  showStatus('');
  signin.elements.username.focus({ preventScroll: true });
}

signin.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(signin);
  const button = signin.querySelector('button');
  button.disabled = true;
  signinError.textContent = '';
  try {
    const response = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
    });
    const body = await response.json().catch(() => null);
    if (response.ok && body?.access_token) {
      token = body.access_token;
      sessionStorage.setItem(kTokenKey, token);
      signin.hidden = true;
      signin.reset();
      start();
    } else if (response.status === 401) {
      signinError.textContent = 'Wrong username or password.';
    } else if (response.status === 429) {
      const wait = response.headers.get('Retry-After');
      signinError.textContent = `Too many attempts; try again${wait ? ` in ${wait} s` : ' later'}.`;
    } else {
      signinError.textContent = body?.error?.message ?? `The server answered ${response.status}.`;
    }
  } catch {
    signinError.textContent = 'Cannot reach the server.';
  } finally {
    button.disabled = false;
  }
});

// --- playback ---------------------------------------------------------------------------------

const player = new WhepPlayer();
const sampler = new StatsSampler();
const overlay = new StatsOverlay($('stats'));

window.ocellusPlayer = {
  player,
  video,
  get pc() {
    return player.pc;
  },
  get state() {
    return player.state;
  },
  stats: null,
};

function showStatus(text, { error = false } = {}) {
  statusLine.textContent = text;
  statusLine.hidden = !text;
  statusLine.classList.toggle('error', error);
}

function start() {
  retryButton.hidden = true;
  player.play(video, whepUrl, { token });
}

player.addEventListener('status', ({ detail }) => {
  retryButton.hidden = true;
  switch (detail.state) {
    case 'connecting':
      if (!detail.attempt) showStatus('Connecting…');
      break;
    case 'playing':
      showStatus('');
      break;
    case 'retrying': {
      const seconds = (detail.delayMs / 1000).toFixed(detail.delayMs < 10000 ? 1 : 0);
      const reason = detail.status === 404
        ? `Stream “${streamPath}” not found (404): waiting for it to be published.`
        : `${detail.reason[0].toUpperCase()}${detail.reason.slice(1)}.`;
      showStatus(`${reason} Retrying in ${seconds} s…`, { error: detail.status === 404 });
      overlay.clear();
      break;
    }
    case 'unauthorized':
      overlay.clear();
      if (detail.status === 403) {
        showSignin('Sign in as someone allowed to watch', `This account may not watch “${streamPath}”.`);
      } else if (token) {
        sessionStorage.removeItem(kTokenKey); // expired or revoked
        token = null;
        showSignin('Sign in again to watch', 'Your session has expired.');
      } else {
        showSignin('Sign in to watch');
      }
      break;
    case 'error':
      overlay.clear();
      showStatus(detail.message, { error: true });
      retryButton.hidden = false;
      break;
    default:
      break;
  }
});

player.addEventListener('stats', ({ detail }) => {
  const digest = sampler.add(detail.report, detail.pc);
  window.ocellusPlayer.stats = digest;
  if (!$('stats').hidden) overlay.update(digest);
});

player.addEventListener('track', ({ detail }) => {
  video.play().catch(() => {
    resume.hidden = false; // autoplay refused even muted (power saving): one tap plays
  });
  if (detail.track.kind === 'audio') unmute.hidden = !video.muted;
});

unmute.addEventListener('click', () => {
  video.muted = false;
  unmute.hidden = true;
  video.play().catch(() => {});
});
video.addEventListener('volumechange', () => {
  const hasAudio = video.srcObject?.getAudioTracks?.().length > 0;
  unmute.hidden = !(hasAudio && video.muted);
});
video.addEventListener('playing', () => {
  resume.hidden = true;
});
resume.addEventListener('click', () => {
  video.play().then(() => {
    resume.hidden = true;
  }, () => {});
});
retryButton.addEventListener('click', start);

// --- chrome -----------------------------------------------------------------------------------

function setStatsVisible(visible) {
  $('stats').hidden = !visible;
  statsToggle.setAttribute('aria-pressed', String(visible));
  if (visible) overlay.update(window.ocellusPlayer.stats);
}
setStatsVisible(params.get('stats') !== '0' && localStorage.getItem(kStatsKey) !== 'off');
statsToggle.addEventListener('click', () => {
  const visible = $('stats').hidden;
  localStorage.setItem(kStatsKey, visible ? 'on' : 'off');
  setStatsVisible(visible);
});

$('fullscreen').addEventListener('click', () => {
  if (document.fullscreenElement) document.exitFullscreen();
  else if ($('stage').requestFullscreen) $('stage').requestFullscreen().catch(() => {});
  else if (video.webkitEnterFullscreen) video.webkitEnterFullscreen(); // iPhone Safari
});

start();
