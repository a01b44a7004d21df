/**
 * Media helpers on a local file: image facts and a thumbhash through sharp; duration,
 * streams, a poster frame and a voice message's waveform through ffprobe/ffmpeg when they
 * are on the PATH. Without ffmpeg, videos and audio get no poster and no duration and play
 * in a plain player, and a voice message has the waveform its recorder sent, if any.
 */
import { execFile } from 'node:child_process';
import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';

/** Larger images are not decoded (a decompression bomb costs memory, not just time). */
export const MAX_IMAGE_PIXELS = 100_000_000;

let ffmpegPresent: Promise<boolean> | undefined;

/** Whether ffprobe and ffmpeg answer; asked once per process. */
export function hasFfmpeg(): Promise<boolean> {
  ffmpegPresent ??= Promise.all(['ffprobe', 'ffmpeg'].map((tool) => run(tool, ['-version']).then(() => true)))
    .then(() => true)
    .catch(() => false);
  return ffmpegPresent;
}

function run(command: string, args: string[], maxBuffer = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'buffer', maxBuffer, timeout: 60_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

export interface ImageFacts {
  width: number;
  height: number;
  animated: boolean;
  placeholder: string;
}

/** Dimensions as shown (EXIF orientation applied), whether it animates, and its thumbhash. */
export async function imageFacts(input: string | Buffer): Promise<ImageFacts> {
  const image = sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS });
  const meta = await image.metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  const { data, info } = await sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS })
    .rotate()
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const hash = rgbaToThumbHash(info.width, info.height, data);
  return { width, height, animated: (meta.pages ?? 1) > 1, placeholder: Buffer.from(hash).toString('base64') };
}

export interface MediaFacts {
  durationMs: number | null;
  hasVideo: boolean;
  width: number | null;
  height: number | null;
}

/** What ffprobe says about a video or audio file; null without ffprobe or when it cannot read it. */
export async function probeMedia(file: string): Promise<MediaFacts | null> {
  if (!(await hasFfmpeg())) return null;
  try {
    const out = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_type,width,height',
      '-of',
      'json',
      file,
    ]);
    const parsed = JSON.parse(out.toString()) as {
      format?: { duration?: string };
      streams?: { codec_type?: string; width?: number; height?: number }[];
    };
    const video = parsed.streams?.find((s) => s.codec_type === 'video');
    const seconds = Number(parsed.format?.duration);
    return {
      durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
      hasVideo: Boolean(video),
      width: video?.width ?? null,
      height: video?.height ?? null,
    };
  } catch {
    return null;
  }
}

/** A PNG of the frame at `atMs` (or the first), or null when ffmpeg is missing or finds none. */
export async function posterFrame(file: string, atMs: number): Promise<Buffer | null> {
  if (!(await hasFfmpeg())) return null;
  try {
    const seek = (atMs / 1000).toFixed(3);
    const png = await run(
      'ffmpeg',
      ['-v', 'error', '-ss', seek, '-i', file, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-'],
      64 * 1024 * 1024,
    );
    return png.length > 0 ? png : null;
  } catch {
    return null;
  }
}

/** The most samples a voice message's waveform has (what the web recorder sends too). */
export const WAVEFORM_SAMPLES = 128;

/**
 * A voice message's waveform as its recorder would have sent it: the peak of each of
 * WAVEFORM_SAMPLES equal stretches, the loudest 255, base64 — for clients that sent none.
 * Read from 8 kHz mono PCM (about 1 MB a minute), the first ten minutes at most; null
 * without ffmpeg or when it finds no sound.
 */
export async function voiceWaveform(file: string): Promise<string | null> {
  if (!(await hasFfmpeg())) return null;
  try {
    const pcm = await run(
      'ffmpeg',
      ['-v', 'error', '-t', '600', '-i', file, '-ac', '1', '-ar', '8000', '-f', 's16le', '-'],
      16 * 1024 * 1024,
    );
    const count = Math.floor(pcm.length / 2);
    if (count === 0) return null;
    const peaks = new Array<number>(WAVEFORM_SAMPLES).fill(0);
    for (let i = 0; i < count; i++) {
      const bucket = Math.min(WAVEFORM_SAMPLES - 1, Math.floor((i * WAVEFORM_SAMPLES) / count));
      peaks[bucket] = Math.max(peaks[bucket] ?? 0, Math.abs(pcm.readInt16LE(i * 2)));
    }
    const loudest = Math.max(...peaks);
    if (loudest === 0) return null;
    return Buffer.from(peaks.map((peak) => Math.round((peak / loudest) * 255))).toString('base64');
  } catch {
    return null;
  }
}
