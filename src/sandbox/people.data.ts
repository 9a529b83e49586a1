// Word lists for generated people. Plain data; the generator picks from them with the seeded RNG.

export const GIVEN_NAMES: readonly string[] = [
  'Adele', 'Alex', 'Amara', 'Ana', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloe', 'Daniel', 'Diego', 'Elena',
  'Emma', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Isabel', 'Isaac', 'Jamal', 'Jana', 'Joni', 'Kenji',
  'Lara', 'Lee', 'Lidia', 'Lucas', 'Lynne', 'Maya', 'Megan', 'Miguel', 'Nestor', 'Nia', 'Noah', 'Olga',
  'Omar', 'Patti', 'Pradeep', 'Priya', 'Quinn', 'Rafael', 'Ravi', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tariq',
  'Tomas', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoe', 'Irvin', 'Johanna', 'Grady', 'Henrietta', 'Diego',
];

export const SURNAMES: readonly string[] = [
  'Adams', 'Ahmed', 'Alvarez', 'Andersen', 'Bauer', 'Bianchi', 'Brown', 'Carter', 'Chen', 'Costa', 'Dubois',
  'Eriksson', 'Fischer', 'Garcia', 'Gupta', 'Hansen', 'Ito', 'Jensen', 'Johnson', 'Kim', 'Kowalski', 'Larsen',
  'Lee', 'Lopez', 'Martin', 'Meyer', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen',
  'Patel', 'Perez', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Sousa', 'Tanaka', 'Taylor',
  'Torres', 'Vargas', 'Wagner', 'Wang', 'Weber', 'Williams', 'Wilson', 'Yamamoto', 'Zhang', 'Zimmermann',
];

export const OFFICES: readonly { readonly office: string; readonly usageLocation: string; readonly language: string }[] = [
  { office: 'Seattle', usageLocation: 'US', language: 'en-US' },
  { office: 'Chicago', usageLocation: 'US', language: 'en-US' },
  { office: 'London', usageLocation: 'GB', language: 'en-GB' },
  { office: 'Munich', usageLocation: 'DE', language: 'de-DE' },
  { office: 'Paris', usageLocation: 'FR', language: 'fr-FR' },
  { office: 'Madrid', usageLocation: 'ES', language: 'es-ES' },
  { office: 'Tokyo', usageLocation: 'JP', language: 'ja-JP' },
  { office: 'Sydney', usageLocation: 'AU', language: 'en-AU' },
];

export const GUEST_DOMAINS: readonly string[] = ['fabrikam.com', 'northwindtraders.com', 'adventure-works.com', 'tailspintoys.com'];
