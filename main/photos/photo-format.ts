/**
 * What an uploaded or captured photo is, from its first bytes (never from a file name or a claimed type).
 * JPEG and PNG from cameras and roster files; BMP from the vendor decoders of the card's chip photo.
 */
import { PHOTO_MAX_BYTES } from '../../shared/contract/photos';

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/bmp';

export function sniffPhotoMime(bytes: Uint8Array): PhotoMime | null {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47 &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  ) {
    return 'image/png';
  }
  if (bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  return null;
}

/** Why these bytes are not a photo we keep, in Chinese, or null when they are fine. */
export function photoProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return '照片文件为空';
  if (bytes.length > PHOTO_MAX_BYTES) {
    return `照片过大（${Math.round(bytes.length / 1024)} KB，最大 ${PHOTO_MAX_BYTES / 1024} KB）`;
  }
  if (!sniffPhotoMime(bytes)) return '不是 JPEG、PNG 或 BMP 图片（按文件内容判断）';
  return null;
}
