import { describe, expect, it } from 'vitest';
import type { CheckinResult, DeskEvent } from '../../../shared/contract/checkin';
import { deskReducer, INITIAL_DESK_STATE } from './desk-state';
import type { DeskState } from './desk-state';

const ok = (n: number): CheckinResult => ({
  ok: true,
  checkinId: n,
  candidateId: n,
  name: `考生${n}`,
  idNumberMasked: '1101**********0031',
  admissionTicketNo: null,
  roomName: '第1考场',
  seatNo: n,
  late: false,
  method: 'card',
  at: '2026-11-22T01:00:00.000Z',
  rosterPhotoId: null,
  cardPhotoId: null,
  livePhotoId: null,
});

const card = (result: CheckinResult): DeskEvent => ({
  type: 'card',
  card: {
    cardType: 'resident',
    name: '张伟',
    idNumberMasked: '1101**********0031',
    validUntil: '2035-12-31',
  },
  result,
});

function run(events: DeskEvent[], from: DeskState = INITIAL_DESK_STATE): DeskState {
  return events.reduce((state, event) => deskReducer(state, { type: 'event', event }), from);
}

describe('check-in desk state', () => {
  it('is open once the server speaks, and shows the reader as it reports', () => {
    const state = run([{ type: 'ready', reader: '模拟读卡器', state: 'ready', reason: null }]);
    expect(state.connection).toBe('open');
    expect(state.reader).toEqual({ description: '模拟读卡器', state: 'ready', reason: null });
  });

  it('shows the newest result and keeps the last 10, newest first', () => {
    const events = Array.from({ length: 12 }, (_, i) => card(ok(i + 1)));
    const state = run(events);
    expect(state.current?.result).toEqual(ok(12));
    expect(state.history).toHaveLength(10);
    expect(state.history.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(state.cardPresent).toBe(true);
    expect(run([{ type: 'removed' }], state).cardPresent).toBe(false);
  });

  it('keeps a refusal with the card read, and a manual result without one', () => {
    const refused: CheckinResult = {
      ok: false,
      code: 'not_on_roster',
      message: '不在本批次考生名单中',
      name: '张伟',
      candidateId: null,
      rosterPhotoId: null,
    };
    const afterCard = run([card(refused)]);
    expect(afterCard.current?.card?.name).toBe('张伟');
    const afterManual = deskReducer(afterCard, {
      type: 'result',
      kind: 'checkin',
      result: ok(7),
      card: null,
    });
    expect(afterManual.current).toEqual({ kind: 'checkin', seq: 2, result: ok(7), card: null });
    expect(afterManual.history).toHaveLength(2);
  });

  it('puts the live photo on the entry it was taken for, also when it is no longer the newest', () => {
    const state = run([card(ok(1)), card(ok(2))]);
    const photographed = deskReducer(state, { type: 'photo', seq: 1, photoId: 77 });
    expect(photographed.current?.result).toMatchObject({ checkinId: 2, livePhotoId: null });
    expect(photographed.history[1]?.result).toMatchObject({ checkinId: 1, livePhotoId: 77 });
  });

  it('shows a reader error until the reader reports again', () => {
    const state = run([{ type: 'reader-error', code: 'timeout', message: '读卡超时，请重新放卡' }]);
    expect(state.readerError).toBe('读卡超时，请重新放卡');
    expect(run([{ type: 'ready', reader: 'x', state: 'ready', reason: null }], state).readerError).toBeNull();
  });

  it('goes from reconnecting back to open, and remembers why it failed', () => {
    const reconnecting = deskReducer(run([card(ok(1))]), { type: 'reconnecting' });
    expect(reconnecting.connection).toBe('reconnecting');
    expect(reconnecting.current?.result).toEqual(ok(1));
    expect(run([{ type: 'removed' }], reconnecting).connection).toBe('open');
    const failed = deskReducer(reconnecting, { type: 'failed', error: 'x' });
    expect(failed).toMatchObject({ connection: 'failed', failure: 'x' });
    expect(deskReducer(failed, { type: 'connecting' })).toMatchObject({
      connection: 'connecting',
      failure: null,
    });
  });
});
