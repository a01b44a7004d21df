/** Link previews and custom emoji in Russian (see en.ts beside this file). */
export const previewsEmoji = {
  preview: {
    label: 'Предпросмотр ссылки: {{title}}',
    remove: 'Убрать предпросмотр',
    removeFailed: 'Не удалось убрать предпросмотр: {{reason}}',
    imageAlt: 'Картинка с сайта {{site}}',
  },
  emoji: {
    custom: 'Эмодзи этого сервера',
    search: 'Поиск эмодзи',
    searchPlaceholder: 'Название или ключевое слово',
    results: 'Результаты поиска',
    noResults: 'Ничего не найдено',
    suggestions: 'Подходящие эмодзи',
  },
  admin: {
    linkPreviews: 'Показывать предпросмотр ссылок',
    linkPreviewsHint:
      'Сервер загружает заголовок, описание и картинку первой ссылки в новых сообщениях. Если выключено, страницы не загружаются.',
    uploads: 'Кто может добавлять свои эмодзи',
    uploadsAdmins: 'Только администраторы',
    uploadsEveryone: 'Все пользователи сервера',
  },
  manager: {
    settingsHint: 'На этом сервере добавлять эмодзи может каждый; переименовывают и удаляют их администраторы.',
    title: 'Свои эмодзи',
    empty: 'Своих эмодзи пока нет.',
    name: 'Название',
    nameHint: 'От 2 до 30 строчных латинских букв, цифр, _ или -. В тексте пишется как :название:',
    picture: 'Картинка',
    add: 'Добавить эмодзи',
    added: 'Добавлено :{{name}}:',
    rename: 'Переименовать',
    renameLabel: 'Новое название для :{{name}}:',
    save: 'Сохранить',
    cancel: 'Отмена',
    delete: 'Удалить',
    deleteLabel: 'Удалить :{{name}}:',
    failed: 'Не удалось сохранить: {{reason}}',
  },
};
