import type { CapsuleRecord } from '../capsules.repository';
import { toCapsuleDto } from './capsule.dto';

const sealed: CapsuleRecord = {
  id: '665f1c2e9b1d8c0012345678',
  ownerId: '665f1c2e9b1d8c0012345679',
  message: 'secret',
  status: 'sealed',
  openOn: 'next-birthday',
  deliverAt: new Date('2027-05-17T00:00:00Z'),
  createdAt: new Date('2026-11-21T10:00:00Z'),
  deliveredAt: null,
  claimedBy: null,
  claimedAt: null,
};

describe('toCapsuleDto', () => {
  it('shows a sealed capsule without its message', () => {
    expect(toCapsuleDto(sealed)).toEqual({
      id: sealed.id,
      sealed: true,
      deliverAt: '2027-05-17T00:00:00.000Z',
      openOn: 'next-birthday',
      createdAt: '2026-11-21T10:00:00.000Z',
    });
  });

  it('shows a delivered capsule with its message and deliveredAt, and never who claimed it', () => {
    const deliveredAt = new Date('2027-05-17T00:00:01Z');
    const dto = toCapsuleDto({
      ...sealed,
      status: 'delivered',
      deliveredAt,
      claimedBy: 'host:1:abcd',
      claimedAt: deliveredAt,
    });
    expect(dto).toEqual({
      id: sealed.id,
      sealed: false,
      message: 'secret',
      deliverAt: '2027-05-17T00:00:00.000Z',
      deliveredAt: '2027-05-17T00:00:01.000Z',
      openOn: 'next-birthday',
      createdAt: '2026-11-21T10:00:00.000Z',
    });
  });
});
