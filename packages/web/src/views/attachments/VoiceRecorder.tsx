/**
 * Recording a voice message (MediaRecorder): the mic button starts, a running clock and the
 * live level show while it records, Stop uploads it (with its length and a waveform of
 * loudness samples, since MediaRecorder's WebM carries no duration) and sends it.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CrossIcon } from '../../components/icons.js';
import { showToast } from '../../state/toasts.js';
import { MicIcon, StopIcon } from './icons.js';
import { formatDuration } from './media-url.js';
import { startUpload } from './upload.js';

const SAMPLE_EVERY_MS = 100;
const MAX_SAMPLES = 128;

interface Recording {
  recorder: MediaRecorder;
  stream: MediaStream;
  context: AudioContext;
  samples: number[];
  startedAt: number;
  timer: number;
  cancelled: boolean;
}

/** Keeps at most MAX_SAMPLES by taking every n-th, so a long message still fits the metadata. */
function encodeWaveform(samples: number[]): string {
  const step = Math.max(1, Math.ceil(samples.length / MAX_SAMPLES));
  const picked = samples.filter((_, i) => i % step === 0).slice(0, MAX_SAMPLES);
  const peak = Math.max(1, ...picked);
  return btoa(String.fromCharCode(...picked.map((s) => Math.round((s / peak) * 255))));
}

export function VoiceRecorder({ onRecorded }: { onRecorded: (fileId: string) => void }) {
  const { t } = useTranslation();
  const [recording, setRecording] = useState<Recording | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [level, setLevel] = useState(0);
  const current = useRef<Recording | null>(null);

  useEffect(
    () => () => {
      const rec = current.current;
      if (rec) {
        rec.cancelled = true;
        rec.recorder.stop();
      }
    },
    [],
  );

  const start = async () => {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      showToast(t('attachments.micUnavailable'), 'error');
      return;
    }
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const buffer = new Uint8Array(analyser.fftSize);
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    const rec: Recording = { recorder, stream, context, samples: [], startedAt: performance.now(), timer: 0, cancelled: false };
    rec.timer = window.setInterval(() => {
      analyser.getByteTimeDomainData(buffer);
      let sum = 0;
      for (const value of buffer) sum += (value - 128) ** 2;
      const rms = Math.sqrt(sum / buffer.length);
      rec.samples.push(rms);
      setLevel(Math.min(1, rms / 40));
      setElapsed(performance.now() - rec.startedAt);
    }, SAMPLE_EVERY_MS);
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      window.clearInterval(rec.timer);
      for (const track of stream.getTracks()) track.stop();
      void context.close();
      current.current = null;
      setRecording(null);
      if (rec.cancelled) return;
      const durationMs = performance.now() - rec.startedAt;
      const blob = new Blob(chunks, { type: recorder.mimeType || 'audio/webm' });
      startUpload(blob, 'voice.webm', { purpose: 'voice', durationMs, waveform: encodeWaveform(rec.samples) }).done.then(onRecorded, () =>
        showToast(t('attachments.failed'), 'error'),
      );
    };
    recorder.start();
    current.current = rec;
    setElapsed(0);
    setRecording(rec);
  };

  if (!recording) {
    return (
      <button
        type="button"
        className="icon-button voice-record"
        aria-label={t('attachments.record')}
        title={t('attachments.record')}
        onClick={() => void start()}
      >
        <MicIcon />
      </button>
    );
  }
  return (
    <div className="voice-recording" role="status">
      <button
        type="button"
        className="icon-button"
        aria-label={t('attachments.cancelRecording')}
        onClick={() => {
          recording.cancelled = true;
          recording.recorder.stop();
        }}
      >
        <CrossIcon />
      </button>
      <span className="voice-recording-dot" style={{ transform: `scale(${0.6 + level})` }} aria-hidden="true" />
      <span className="voice-recording-time">
        {t('attachments.recording')} {formatDuration(elapsed)}
      </span>
      <button type="button" className="send-button" aria-label={t('attachments.stopRecording')} onClick={() => recording.recorder.stop()}>
        <StopIcon />
      </button>
    </div>
  );
}
