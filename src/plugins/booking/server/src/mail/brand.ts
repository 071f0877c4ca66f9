import type { BrandConfig } from '../config';

/**
 * The theatre's name and look (the `brand` setting) for the code that writes what people read:
 * mails, the calendar file, the door list's workbook, the webhooks' user agent, the OpenAPI
 * title. register() sets it from the plugin's config before anything is written.
 */
let current: BrandConfig = {
  name: 'Booking',
  sender: null,
  colors: { primary: '#1d3f72', background: '#f6f4ef', text: '#1f1f1f' },
  logoUrl: null,
};

export const useBrand = (brand: BrandConfig) => {
  current = brand;
};

export const brand = (): BrandConfig => current;

/** The name as a token (letters, digits, dashes): user agents, calendar ids. */
export const brandToken = () =>
  current.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'Booking';

/** The mails' From: the brand's sender when set; otherwise the e-mail plugin's defaultFrom. */
export const brandSender = (): { from?: string } => (current.sender ? { from: current.sender } : {});
