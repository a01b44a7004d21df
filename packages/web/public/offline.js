/*
 * Parley's offline screen: the chat list the service worker kept (names and unread
 * counts), in the language the app was last shown in. No framework: this page must work
 * when nothing else can load.
 */
const TEXTS = {
  en: {
    title: 'You’re offline',
    body: 'Parley can’t reach the server. Your chats are below as they were when you last saw them.',
    retry: 'Try again',
    chats: 'Your chats',
    empty: 'No chats saved on this device yet.',
    saved: 'As of {time}',
  },
  ru: {
    title: 'Нет соединения',
    body: 'Parley не может связаться с сервером. Ниже — ваши чаты в том виде, в каком вы видели их в последний раз.',
    retry: 'Повторить',
    chats: 'Ваши чаты',
    empty: 'На этом устройстве пока нет сохранённых чатов.',
    saved: 'По состоянию на {time}',
  },
  zh: {
    title: '你已离线',
    body: 'Parley 无法连接到服务器。下面是你上次看到的聊天列表。',
    retry: '重试',
    chats: '你的聊天',
    empty: '此设备上还没有保存的聊天。',
    saved: '截至 {time}',
  },
  ja: {
    title: 'オフラインです',
    body: 'Parley がサーバーに接続できません。最後に表示したときのチャットを下に表示しています。',
    retry: '再試行',
    chats: 'チャット',
    empty: 'この端末に保存されたチャットはまだありません。',
    saved: '{time} 時点',
  },
  ko: {
    title: '오프라인 상태입니다',
    body: 'Parley가 서버에 연결할 수 없습니다. 마지막으로 본 채팅 목록을 아래에 표시합니다.',
    retry: '다시 시도',
    chats: '내 채팅',
    empty: '이 기기에 저장된 채팅이 아직 없습니다.',
    saved: '{time} 기준',
  },
};

function language() {
  let stored = null;
  try {
    stored = localStorage.getItem('parley.language');
  } catch {
    stored = null;
  }
  const wanted = [stored, ...(navigator.languages || [navigator.language])].filter(Boolean);
  for (const tag of wanted) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (primary in TEXTS) return primary;
  }
  return 'en';
}

const lang = language();
const texts = TEXTS[lang];
document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : lang;
document.title = `${texts.title} · Parley`;
for (const element of document.querySelectorAll('[data-text]')) element.textContent = texts[element.dataset.text];

document.querySelector('[data-retry]').addEventListener('click', () => window.location.reload());

async function showChats() {
  const list = document.querySelector('[data-chats]');
  let saved = null;
  try {
    const response = await caches.match('/offline/chats');
    saved = response ? await response.json() : null;
  } catch {
    saved = null;
  }
  const items = saved && Array.isArray(saved.items) ? saved.items : [];
  document.querySelector('[data-empty]').hidden = items.length > 0;
  if (saved?.savedAt) {
    const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(saved.savedAt));
    const line = document.querySelector('[data-saved]');
    line.textContent = texts.saved.replace('{time}', when);
    line.hidden = false;
  }
  for (const chat of items) {
    const row = document.createElement('li');
    row.dataset.chatId = chat.id;
    const title = document.createElement('span');
    title.className = 'offline-chat-title';
    title.dir = 'auto';
    title.textContent = chat.title;
    row.append(title);
    if (chat.unreadCount > 0) {
      const badge = document.createElement('span');
      badge.className = 'offline-unread';
      if (chat.muted) badge.dataset.muted = '';
      badge.textContent = String(chat.unreadCount);
      row.append(badge);
    }
    list.append(row);
  }
}

void showChats();
// Back as soon as the server answers again.
window.addEventListener('online', () => window.location.reload());
