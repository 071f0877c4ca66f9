import createPerformancesService from '../performances';

// checkCapacityShape is pure: it needs no database.
const service = createPerformancesService({ strapi: {} as never });
const capacity = (room_capacity: number, additional_seats: number, manually_occupied_seats: number) => ({
  room_capacity,
  additional_seats,
  manually_occupied_seats,
});

describe('checkCapacityShape', () => {
  test('accepts zero and positive whole numbers with manual seats up to the total', () => {
    expect(() => service.checkCapacityShape(capacity(0, 0, 0))).not.toThrow();
    expect(() => service.checkCapacityShape(capacity(80, 10, 90))).not.toThrow();
  });

  test('refuses negative or fractional values, naming each field', () => {
    expect(() => service.checkCapacityShape(capacity(-1, 2.5, 0))).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({
          code: 'capacity_invalid',
          errors: [expect.objectContaining({ path: ['room_capacity'] }), expect.objectContaining({ path: ['additional_seats'] })],
        }),
      })
    );
  });

  test('refuses more manually occupied seats than room plus additional seats, in Italian outside a request', () => {
    expect(() => service.checkCapacityShape(capacity(80, 10, 91))).toThrow(/superano i posti della sala più quelli aggiuntivi \(90\)/);
  });
});
