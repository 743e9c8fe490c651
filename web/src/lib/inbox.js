// inbox.js — the family's count of unread messages, one for the whole portal: the badge in the
// header and the messages on 我的 read and set the same value, so marking messages read clears
// the badge everywhere at once.
import { ref } from 'vue';
import { get } from './api.js';

export const unread = ref(0);

/** Read the count again (0 without a login or on failure). */
export async function refreshUnread(loggedIn) {
  if (!loggedIn) { unread.value = 0; return; }
  try { unread.value = (await get('/api/v1/inbox')).unread; } catch { unread.value = 0; }
}
