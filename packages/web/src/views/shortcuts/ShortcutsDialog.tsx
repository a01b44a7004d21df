/** `?`: the keyboard shortcuts, with ⌘ on Apple keyboards and Ctrl elsewhere. */
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog.js';

const isApple = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const mod = isApple() ? '⌘' : 'Ctrl';
  const rows: [string[], string][] = [
    [[mod, 'K'], t('shortcuts.quickSwitch')],
    [[mod, 'Shift', 'F'], t('shortcuts.searchMessages')],
    [['Alt', '↑'], t('shortcuts.previousChat')],
    [['Alt', '↓'], t('shortcuts.nextChat')],
    [['Esc'], t('shortcuts.close')],
    [['Enter'], t('shortcuts.send')],
    [['Shift', 'Enter'], t('shortcuts.newLine')],
    [['↑'], t('shortcuts.editLast')],
    [['?'], t('shortcuts.help')],
  ];
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} className="shortcuts-dialog">
      <dl className="shortcuts-list">
        {rows.map(([keys, what]) => (
          <div key={what} className="shortcuts-row">
            <dt>
              {keys.map((key) => (
                <kbd key={key}>{key}</kbd>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
