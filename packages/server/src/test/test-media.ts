/** Small real media files for tests, made by ffmpeg from its own test sources (lavfi). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestMedia {
  /** 2 s of colour bars and a tone, 320×240 H.264 + AAC in MP4. */
  video: Buffer;
  /** 1.5 s of a tone, Opus in WebM with no video track. */
  soundOnlyWebm: Buffer;
  /** 1.5 s of a tone, then 1.5 s of silence: Opus in Ogg (what Firefox's MediaRecorder makes). */
  voice: Buffer;
  /** Five frames of colour bars, 64×48, as an animated GIF. */
  animatedGif: Buffer;
}

export function makeTestMedia(dir: string, ffmpeg = 'ffmpeg'): TestMedia {
  const out = (name: string) => path.join(dir, name);
  const run = (args: string[]) => execFileSync(ffmpeg, ['-v', 'error', '-y', ...args], { stdio: 'pipe' });
  run([
    ...['-f', 'lavfi', '-i', 'testsrc=duration=2:size=320x240:rate=15'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', out('clip.mp4')],
  ]);
  run(['-f', 'lavfi', '-i', 'sine=frequency=330:duration=1.5', '-c:a', 'libopus', out('sound.webm')]);
  run(['-f', 'lavfi', '-i', 'sine=frequency=220:duration=1.5,apad=whole_dur=3', '-c:a', 'libopus', out('voice.ogg')]);
  run(['-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x48:rate=5', out('bars.gif')]);
  return {
    video: fs.readFileSync(out('clip.mp4')),
    soundOnlyWebm: fs.readFileSync(out('sound.webm')),
    voice: fs.readFileSync(out('voice.ogg')),
    animatedGif: fs.readFileSync(out('bars.gif')),
  };
}
