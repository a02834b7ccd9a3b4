import type { TFunction } from 'i18next';
import type { PdfPreview, PrinterInfoData, PrinterTargetInput } from '../../../shared/contract/printing';

/** A printer as a Select value (kind and name, which may contain any character). */
export function targetValue(target: PrinterTargetInput): string {
  return JSON.stringify([target.kind, target.name]);
}

export function targetFromValue(value: string | null): PrinterTargetInput | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return null;
    const [kind, name] = parsed as unknown[];
    if ((kind === 'cups' || kind === 'windows' || kind === 'folder') && typeof name === 'string') {
      return { kind, name };
    }
  } catch {
    return null;
  }
  return null;
}

export function sameTarget(a: PrinterTargetInput | null | undefined, b: PrinterTargetInput): boolean {
  return !!a && a.kind === b.kind && a.name === b.name;
}

/** What a printer is called in a list: 文件夹：/path, or CUPS：the system printer's description. */
export function printerLabel(
  target: PrinterTargetInput,
  t: TFunction,
  info?: Pick<PrinterInfoData, 'displayName'>,
): string {
  const name = target.kind === 'folder' ? target.name : (info?.displayName ?? target.name);
  return `${t(`printing.kind.${target.kind}`)}：${name}`;
}

/** Select options for the listed printers, plus configured ones that are not listed right now. */
export function printerOptions(
  printers: readonly PrinterInfoData[],
  t: TFunction,
  extra: ReadonlyArray<PrinterTargetInput | null | undefined> = [],
): Array<{ value: string; label: string }> {
  const options = printers.map((p) => ({
    value: targetValue(p.target),
    label: printerLabel(p.target, t, p),
  }));
  for (const target of extra) {
    if (target && !options.some((o) => o.value === targetValue(target))) {
      options.push({
        value: targetValue(target),
        label: `${printerLabel(target, t)}${t('printing.notListed')}`,
      });
    }
  }
  return options;
}

/**
 * Open a previewed PDF: a new tab in a browser; where windows may not open (the desktop app), the PDF
 * is downloaded instead. Returns the object URL (kept for the 打开 link; revoke when done).
 */
export function openPdf(preview: PdfPreview): string {
  const binary = atob(preview.dataBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const opened = window.open(url, '_blank');
  if (!opened) {
    const a = document.createElement('a');
    a.href = url;
    a.download = `${preview.title}.pdf`;
    a.click();
  }
  return url;
}
