import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * none: no camera; denied: the user or policy refused it; error: it would not start; insecure: the page
 * was opened over plain http from another PC (browsers allow cameras only on https, localhost and the
 * desktop app).
 */
export type CameraStatus = 'starting' | 'on' | 'none' | 'denied' | 'error' | 'insecure';

const FRAME_WAIT_MS = 3_000;

function statusOf(error: unknown): CameraStatus {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'none';
  return 'error';
}

/** Wait until the video shows a frame (or give up): a capture right after start-up would be black. */
function frameReady(video: HTMLVideoElement): Promise<boolean> {
  if (video.readyState >= 2 && video.videoWidth > 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      video.removeEventListener('loadeddata', onData);
      resolve(ok);
    };
    const onData = () => done(video.videoWidth > 0);
    const timer = setTimeout(() => done(video.readyState >= 2 && video.videoWidth > 0), FRAME_WAIT_MS);
    video.addEventListener('loadeddata', onData);
  });
}

/**
 * The desk's webcam: the live picture and `capture()`, which returns one frame as base64 JPEG (no
 * data: prefix), or null when there is no picture. Without a camera the desk keeps working.
 */
export function useCamera(): {
  videoRef: RefObject<HTMLVideoElement | null>;
  status: CameraStatus;
  capture: () => Promise<string | null>;
} {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [status, setStatus] = useState<CameraStatus>('starting');

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    const start = async () => {
      if (!window.isSecureContext) {
        setStatus('insecure');
        return;
      }
      if (!navigator.mediaDevices?.getUserMedia) {
        setStatus('none');
        return;
      }
      try {
        const s = await navigator.mediaDevices.getUserMedia({
          video: { width: { ideal: 640 }, height: { ideal: 480 } },
          audio: false,
        });
        if (stopped) {
          s.getTracks().forEach((t) => t.stop());
          return;
        }
        stream = s;
        const video = videoRef.current;
        if (video) {
          video.srcObject = s;
          await video.play().catch(() => undefined);
        }
        setStatus('on');
      } catch (error) {
        if (!stopped) setStatus(statusOf(error));
      }
    };
    void start();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  const capture = useCallback(async (): Promise<string | null> => {
    const video = videoRef.current;
    if (!video || !video.srcObject) return null;
    if (!(await frameReady(video))) return null;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/jpeg', 0.85);
    const comma = url.indexOf(',');
    return url.startsWith('data:image/jpeg') && comma > 0 ? url.slice(comma + 1) : null;
  }, []);

  return { videoRef, status, capture };
}

/** 摄像头: the live picture at the desk, or plainly why there is none. */
export function CameraPanel({
  videoRef,
  status,
}: {
  videoRef: RefObject<HTMLVideoElement | null>;
  status: CameraStatus;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" data-testid="camera-panel" data-status={status}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('checkin.camera')}
        </Title>
        <video
          ref={videoRef}
          muted
          playsInline
          aria-label={t('checkin.camera')}
          style={{
            width: '100%',
            aspectRatio: '4 / 3',
            background: 'var(--mantine-color-dark-7)',
            borderRadius: 4,
            display: status === 'on' || status === 'starting' ? 'block' : 'none',
          }}
        />
        {status === 'starting' ? (
          <Text size="sm" c="dimmed">
            {t('checkin.cameraStarting')}
          </Text>
        ) : null}
        {status === 'none' || status === 'denied' || status === 'error' || status === 'insecure' ? (
          <Alert color="orange" variant="light" role="status">
            {t(`checkin.cameraStatus.${status}`)}
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}
