/** English strings of link previews and custom emoji (views/link-preview, views/custom-emoji), merged into en.ts as `previewsEmoji`. */
export const previewsEmoji = {
  preview: {
    label: 'Link preview: {{title}}',
    remove: 'Remove preview',
    removeFailed: 'Couldn’t remove the preview: {{reason}}',
    imageAlt: 'Picture from {{site}}',
  },
  emoji: {
    custom: 'This server’s emoji',
    search: 'Search emoji',
    searchPlaceholder: 'Search by name or keyword',
    results: 'Search results',
    noResults: 'No emoji match',
    suggestions: 'Emoji to insert',
  },
  admin: {
    linkPreviews: 'Show link previews',
    linkPreviewsHint:
      'The server fetches the title, description and picture of the first link in new messages. When off, no page is fetched.',
    uploads: 'Who may add custom emoji',
    uploadsAdmins: 'Admins only',
    uploadsEveryone: 'Everyone on this server',
  },
  manager: {
    settingsHint: 'Everyone on this server may add emoji; admins rename and delete them.',
    title: 'Custom emoji',
    empty: 'No custom emoji yet.',
    name: 'Name',
    nameHint: '2–30 lowercase letters, digits, _ or -. People type it as :name:',
    picture: 'Picture',
    add: 'Add emoji',
    added: 'Added :{{name}}:',
    rename: 'Rename',
    renameLabel: 'New name for :{{name}}:',
    save: 'Save',
    cancel: 'Cancel',
    delete: 'Delete',
    deleteLabel: 'Delete :{{name}}:',
    failed: 'Couldn’t save: {{reason}}',
  },
};
