/**
 * The client brand names the provider sandboxes seed agency accounts with (the same vocabulary in every sandbox, so
 * a tester recognises them across providers). One carries `&` and accents so consumers must handle escaping and
 * Unicode.
 */

/** Every sample brand, in the order seeded names cycle through them. */
export const SAMPLE_BRANDS: readonly string[] = [
  'Acme Coffee',
  'Blue Harbor Hotels',
  'Crème & Brûlée Co.',
  'Delta Outdoor',
  'Evergreen Pharmacy',
  'Fjord Fitness',
  'Golden Gate Realty',
  'Helio Solar',
  'Indigo Apparel',
  'Juniper Pet Care',
  'Kestrel Bikes',
  'Lumen Eyewear',
  'Maple Street Bakery',
  'Nimbus Cloudware',
  'Orchid Spa',
  'Pioneer Insurance',
  'Quartz Watches',
  'Riverbend Wines',
  'Summit Ski Rentals',
  'Tidewater Seafood',
  'Umbra Lighting',
  'Vantage Motors',
  'Willow Home Goods',
  'Xenon Gaming',
  'Yellowtail Travel',
  'Zephyr Airlines',
  'Aurora Dental',
  'Basalt Furniture',
  'Cobalt Security',
  'Driftwood Surf',
  'Ember Grills',
  'Foxglove Florists',
  'Granite Fitness',
  'Harvest Market',
  'Iris Cosmetics',
  'Jade Tea House',
  'Kiln Ceramics',
  'Lighthouse Tutors',
  'Mosaic Media',
  'Nova Kids',
];

/**
 * The first `count` sample brands. Each sandbox cycles through its own number of them: that number is part of its
 * seeded names (`brands[index % brands.length]`), so it stays what the sandbox's agreement and tests fixed.
 */
export function sampleBrands(count: number): readonly string[] {
  if (count > SAMPLE_BRANDS.length) throw new Error(`only ${SAMPLE_BRANDS.length} sample brands`);
  return SAMPLE_BRANDS.slice(0, count);
}
