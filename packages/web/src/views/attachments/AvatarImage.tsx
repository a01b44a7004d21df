/** A profile photo over the initials: the 96 px square for lists, 512 px for the profile; on any error the initials show. */
import './attachments.css';
import { useState } from 'react';
import { avatarUrl } from './media-url.js';

export function AvatarImage({ fileId, size }: { fileId: string; size: number }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (failed === fileId) return null;
  return <img className="avatar-image" src={avatarUrl(fileId, size > 96 ? 512 : 96)} alt="" onError={() => setFailed(fileId)} />;
}
