/** Русские строки: статус «Нет на месте», порядок закреплённых чатов, люди в поиске. */
export const personal = {
  setAway: 'Поставить статус «Нет на месте»',
  setActive: 'Вернуться в сеть',
  awayNow: 'Нет на месте',
  moveDown: 'Переместить ниже',
  searchPeople: 'Люди',
  centreMentionAll: '{{name}} упомянул(а) всех',
  centreMentionHere: '{{name}} упомянул(а) всех, кто в сети',
  mentionHere: 'Все, кто сейчас в сети',
};
