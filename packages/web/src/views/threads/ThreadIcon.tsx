/** Two speech bubbles, one answering the other: the icon of threads. */
import { Icon } from '../../components/icons.js';

export const ThreadIcon = ({ size = 20 }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 5h11a2 2 0 0 1 2 2v5a2 2 0 0 1-2 2H9l-4 3v-3H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z" />
    <path d="M17 9h3a2 2 0 0 1 2 2v5a2 2 0 0 1-2 2h-1v3l-4-3h-4a2 2 0 0 1-2-2" />
  </Icon>
);
