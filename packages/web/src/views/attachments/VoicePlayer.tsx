/** A voice message or audio file: play/pause, the waveform filling as it plays, and its length. */
import type { Attachment } from '@parley/protocol';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PauseIcon, PlayIcon } from './icons.js';
import { fileUrl, formatDuration } from './media-url.js';

const BARS = 40;

/** The stored samples (0–255), resampled to BARS bars; a flat line when there are none. */
export function waveformBars(waveform: string | null): number[] {
  if (!waveform) return Array.from({ length: BARS }, () => 0.25);
  const samples = Uint8Array.from(atob(waveform), (c) => c.charCodeAt(0));
  if (samples.length === 0) return Array.from({ length: BARS }, () => 0.25);
  return Array.from({ length: BARS }, (_, i) => {
    const sample = samples[Math.floor((i / BARS) * samples.length)] ?? 0;
    return Math.max(0.08, sample / 255);
  });
}

export function VoicePlayer({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation();
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState<number | null>(attachment.durationMs);
  const bars = useMemo(() => waveformBars(attachment.waveform), [attachment.waveform]);
  useEffect(() => setDuration(attachment.durationMs), [attachment.durationMs]);
  const played = duration ? position / duration : 0;
  return (
    <div className="voice-player" data-kind={attachment.kind}>
      <button
        type="button"
        className="voice-play"
        aria-label={playing ? t('attachments.pause') : t('attachments.play')}
        onClick={() => {
          const el = audio.current;
          if (!el) return;
          if (el.paused) void el.play();
          else el.pause();
        }}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <span className="voice-wave" aria-hidden="true">
        {bars.map((height, i) => (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed row of bars, never reordered.
            key={i}
            className="voice-bar"
            data-played={i / BARS < played || undefined}
            style={{ blockSize: `${Math.round(height * 100)}%` }}
          />
        ))}
      </span>
      <span className="voice-time">{formatDuration(playing || position > 0 ? position : duration)}</span>
      {/* biome-ignore lint/a11y/useMediaCaption: a voice message has no caption track; its transcript is the sound itself. */}
      <audio
        ref={audio}
        preload="metadata"
        src={fileUrl(attachment.id)}
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false);
          setPosition(0);
        }}
        onTimeUpdate={(event) => setPosition(event.currentTarget.currentTime * 1000)}
        onLoadedMetadata={(event) => {
          const seconds = event.currentTarget.duration;
          if (Number.isFinite(seconds) && !attachment.durationMs) setDuration(seconds * 1000);
        }}
      />
    </div>
  );
}
