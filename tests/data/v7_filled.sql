-- A database filled by the receiver at migration 7: see tests/data/fill_v7.py.
--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Data for Name: alert_cooldowns; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: alerts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: alert_deliveries; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: callbacks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.callbacks VALUES ('019c10eb-9300-72f0-ac3a-379d881d3875', '2026-01-30 22:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30312d33305432323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c10ee-5220-7597-83c6-c2971510775a', '2026-01-30 22:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30312d33305432323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c10f3-d060-781e-9143-2ecb8fb8d1e5', '2026-01-30 22:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30312d33305432323a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c10fd-e280-7271-890c-c7066408bcaf', '2026-01-30 22:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30312d33305432323a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1107-0a40-70e9-98aa-bbf86b62b59b', '2026-01-30 22:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30312d33305432323a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c13b5-af80-7c54-bd81-f5aa8723e691', '2026-01-31 11:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30312d33315431313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c13b8-6ea0-78f4-8551-e16af2e2a1b9', '2026-01-31 11:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30312d33315431313a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c167f-cc00-7b5e-82ce-60c7e4c6cc19', '2026-02-01 00:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30315430303a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1682-8b20-7e5f-86e1-e31f4dfe0e92', '2026-02-01 00:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30315430303a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1949-e880-7c55-86f3-faa7f16a624f', '2026-02-01 13:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30315431333a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c194c-a7a0-7503-847e-390a4b63bd15', '2026-02-01 13:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30315431333a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1c14-0500-7136-aa69-2fdef4024aa4', '2026-02-02 02:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30325430323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1c16-c420-73db-87f7-db3d4f707b86', '2026-02-02 02:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30325430323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1c1c-4260-7bd8-8ad4-68aa548060dd', '2026-02-02 02:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30325430323a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1ede-2180-740c-b771-48068fac1501', '2026-02-02 15:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30325431353a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1ee0-e0a0-734d-9c13-4a0a038123fa', '2026-02-02 15:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30325431353a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c1ef0-7100-7b13-8e6f-8b25edd039eb', '2026-02-02 15:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30325431353a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c21a8-3e00-7d73-a71f-5e70500c7b45', '2026-02-03 04:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30335430343a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c21aa-fd20-7b54-9fd6-c65bdcf09f22', '2026-02-03 04:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30335430343a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2472-5a80-7b7b-b185-d20c817797e0', '2026-02-03 17:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30335431373a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2475-19a0-71b5-bd3d-0e415dd2edb8', '2026-02-03 17:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30335431373a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c248d-d1c0-7d36-9aea-84271be53165', '2026-02-03 17:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30335431373a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c273c-7700-7224-b1a8-227b2c56cd9e', '2026-02-04 06:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30345430363a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c273f-3620-7c48-aa5f-26f64a050fdb', '2026-02-04 06:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30345430363a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2744-b460-7e69-83f7-e4ab10f90ef5', '2026-02-04 06:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30345430363a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2a06-9380-7e8e-9abf-f98b8c880798', '2026-02-04 19:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30345431393a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2a09-52a0-7f74-b38e-3ea7307969ac', '2026-02-04 19:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30345431393a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2cd0-b000-7550-b6c6-638609be2c35', '2026-02-05 08:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30355430383a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2cd3-6f20-739f-ac88-68f32abee336', '2026-02-05 08:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30355430383a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2ce2-ff80-7a0d-b430-b6dd7696330a', '2026-02-05 08:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30355430383a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2f9a-cc80-78de-a148-5defe19736d1', '2026-02-05 21:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30355432313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c2f9d-8ba0-7d3c-aca8-fe73e2ded101', '2026-02-05 21:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30355432313a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3264-e900-78d1-95fa-4b6f67d44615', '2026-02-06 10:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30365431303a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3267-a820-7d0f-adfd-33776b67b68d', '2026-02-06 10:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30365431303a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c326d-2660-7ead-a6a7-c114763204a3', '2026-02-06 10:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30365431303a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c352f-0580-7a83-8d68-203b0fafd6e3', '2026-02-06 23:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30365432333a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3531-c4a0-7636-a81b-edc8daf3fa68', '2026-02-06 23:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30365432333a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c37f9-2200-7e17-94c1-92abbc991e01', '2026-02-07 12:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30375431323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c37fb-e120-7c39-b069-78c86e89dda0', '2026-02-07 12:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30375431323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3814-9940-71fa-a332-37827015a2f3', '2026-02-07 12:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30375431323a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c3ac3-3e80-7d96-9dc8-69b977c31f8d', '2026-02-08 01:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30385430313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3ac5-fda0-7bd5-b2da-3c71f996fce5', '2026-02-08 01:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30385430313a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3ad5-8e00-7d40-b602-3c5e33d4d6ea', '2026-02-08 01:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30385430313a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3d8d-5b00-722e-800d-bafc66de14b7', '2026-02-08 14:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30385431343a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3d90-1a20-7c8e-b0f0-3d4aec9abdbe', '2026-02-08 14:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30385431343a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c3d95-9860-7351-825d-1125c9a887d8', '2026-02-08 14:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30385431343a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c4057-7780-7e56-ae52-7ce753abffab', '2026-02-09 03:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30395430333a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c405a-36a0-7121-81bd-6898b92f5110', '2026-02-09 03:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30395430333a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c4321-9400-73e9-ba11-4a468f672093', '2026-02-09 16:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30395431363a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c4324-5320-798a-9678-5c4200a185f0', '2026-02-09 16:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d30395431363a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c45eb-b080-77de-8cea-edd34f042f67', '2026-02-10 05:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31305430353a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c45ee-6fa0-7d3f-b82f-08071270767e', '2026-02-10 05:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31305430353a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c48b5-cd00-7c1e-90a6-09c8082e4a0b', '2026-02-10 18:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31305431383a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c48b8-8c20-7fca-9071-cd281b66a759', '2026-02-10 18:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31305431383a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c48be-0a60-7912-9170-6b33b11d4b65', '2026-02-10 18:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31305431383a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c48c8-1c80-73ef-b2f4-39c118583269', '2026-02-10 18:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31305431383a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c4b7f-e980-7ce1-a128-1986e9c3a160', '2026-02-11 07:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31315430373a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c4b82-a8a0-7826-8c44-6ac10da83117', '2026-02-11 07:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31315430373a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c4b9b-60c0-7b27-86b1-f01a871b4362', '2026-02-11 07:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31315430373a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c4e4a-0600-7c7b-be23-be04214e9f2c', '2026-02-11 20:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31315432303a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c4e4c-c520-7c87-bb61-dd5feacf1655', '2026-02-11 20:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31315432303a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5114-2280-763e-9078-37f3b69eb42e', '2026-02-12 09:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31325430393a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5116-e1a0-7329-a6f0-adc3a3857eac', '2026-02-12 09:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31325430393a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c53de-3f00-7539-9285-0dfde16393de', '2026-02-12 22:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31325432323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c53e0-fe20-7137-a7dc-fb940bd9ea78', '2026-02-12 22:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31325432323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c53e6-7c60-7378-b62d-46400939eaaa', '2026-02-12 22:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31325432323a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c56a8-5b80-7feb-b459-eaa481044351', '2026-02-13 11:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31335431313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c56ab-1aa0-7fc0-95f4-82241784d555', '2026-02-13 11:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31335431313a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c56ba-ab00-776e-ba60-8c6835ac0243', '2026-02-13 11:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31335431313a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5972-7800-7846-be20-7454f196a1d3', '2026-02-14 00:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31345430303a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5975-3720-71b4-adab-d2bb7ccfdabd', '2026-02-14 00:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31345430303a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5c3c-9480-7743-a2b4-c0fa424f9686', '2026-02-14 13:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31345431333a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5c3f-53a0-718b-89c5-40eda458e809', '2026-02-14 13:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31345431333a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5f06-b100-7ba7-a9f9-cd6ab19df611', '2026-02-15 02:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31355430323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5f09-7020-74c2-895e-3780f916f85b', '2026-02-15 02:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31355430323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5f0e-ee60-7a59-8680-d7eb1a7f2d68', '2026-02-15 02:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31355430323a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c5f22-2840-7fab-aa08-4cf599c2aad3', '2026-02-15 02:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31355430323a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c61d0-cd80-75c8-96e7-d40f9b571740', '2026-02-15 15:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31355431353a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c61d3-8ca0-7a6c-b26d-72eff6d6d89a', '2026-02-15 15:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31355431353a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c649a-ea00-7195-8660-cc1143f25a71', '2026-02-16 04:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31365430343a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c649d-a920-76a7-8276-d4f7f5676925', '2026-02-16 04:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31365430343a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c64ad-3980-753d-afed-3b8d1e918934', '2026-02-16 04:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31365430343a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6765-0680-7586-b6eb-7cddd6892eeb', '2026-02-16 17:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31365431373a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6767-c5a0-762e-9384-840a277a18bb', '2026-02-16 17:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31365431373a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6a2f-2300-789a-9b99-83119a83e6a8', '2026-02-17 06:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31375430363a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6a31-e220-7517-819d-72806ed1a5ca', '2026-02-17 06:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31375430363a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6a37-6060-7a2d-be67-31a0c145e432', '2026-02-17 06:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31375430363a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6cf9-3f80-7fa9-8db9-704aef3a4365', '2026-02-17 19:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31375431393a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6cfb-fea0-7837-8fc6-0fff708244c6', '2026-02-17 19:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31375431393a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6fc3-5c00-7a3f-aa86-073c74ff1dc3', '2026-02-18 08:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31385430383a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c6fc6-1b20-729b-a4b6-e9217acf7253', '2026-02-18 08:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31385430383a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c728d-7880-7084-948d-2c1bf4c3d772', '2026-02-18 21:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31385432313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c7290-37a0-7acd-b078-6f3b9ae51d2f', '2026-02-18 21:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31385432313a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c729f-c800-70f7-8bcd-8cbbce83fb6a', '2026-02-18 21:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31385432313a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c72a8-efc0-7961-bd93-c8dbe91ea213', '2026-02-18 21:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31385432313a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c7557-9500-7ea6-851e-bf660e6f010f', '2026-02-19 10:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31395431303a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c755a-5420-72a6-85d8-8cf14106d9a8', '2026-02-19 10:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31395431303a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c755f-d260-70c4-8efa-17a7f2482550', '2026-02-19 10:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31395431303a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c7821-b180-7266-9687-2a28f2124323', '2026-02-19 23:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31395432333a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c7824-70a0-73e5-86ad-8ab432a87128', '2026-02-19 23:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d31395432333a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c7aeb-ce00-7295-91ea-70cce45d6f8b', '2026-02-20 12:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32305431323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c7aee-8d20-7f10-8bfa-18f978d55e95', '2026-02-20 12:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32305431323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c7db5-ea80-73e9-863f-c7ff6fad8a82', '2026-02-21 01:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32315430313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c7db8-a9a0-7e9f-a420-ca90d214cf73', '2026-02-21 01:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32315430313a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8080-0700-7d66-9711-631f7379fadf', '2026-02-21 14:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32315431343a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8082-c620-7429-9502-fe56b479d0f2', '2026-02-21 14:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32315431343a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8088-4460-7087-9382-68db0cb84b11', '2026-02-21 14:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32315431343a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8092-5680-783c-acad-b451adc11cf4', '2026-02-21 14:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32315431343a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c834a-2380-7f65-8532-5da5df0a3fc4', '2026-02-22 03:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32325430333a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c834c-e2a0-76c3-9c5c-e4524be4ffbb', '2026-02-22 03:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32325430333a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8614-4000-7ba8-a02d-745e1fb7eb22', '2026-02-22 16:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32325431363a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8616-ff20-7b59-bc87-be36fb7256c4', '2026-02-22 16:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32325431363a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c862f-b740-759d-9a47-71206f5ef4e5', '2026-02-22 16:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32325431363a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c88de-5c80-7cd0-9117-63dcd4f283bd', '2026-02-23 05:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32335430353a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c88e1-1ba0-7572-85ce-8d8dd4eee0cf', '2026-02-23 05:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32335430353a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8ba8-7900-7f7f-ae31-2b4838e4cf9f', '2026-02-23 18:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32335431383a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8bab-3820-7b7d-b451-021cd429eb6a', '2026-02-23 18:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32335431383a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8bb0-b660-7992-906e-dbd9a0d219db', '2026-02-23 18:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32335431383a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8e72-9580-7de3-b1a1-52657a290778', '2026-02-24 07:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32345430373a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8e75-54a0-7779-9a09-b343437defeb', '2026-02-24 07:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32345430373a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c8e84-e500-7952-8efb-ff7804c3d9b1', '2026-02-24 07:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32345430373a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c913c-b200-7f0c-aa3c-e5d346f842a0', '2026-02-24 20:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32345432303a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c913f-7120-7e56-8f2a-56258d420b3f', '2026-02-24 20:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32345432303a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c9406-ce80-70cd-8c5a-0b8d84359984', '2026-02-25 09:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32355430393a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c9409-8da0-7681-aac0-29c64754f589', '2026-02-25 09:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32355430393a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c96d0-eb00-72f8-a8a5-15e044343095', '2026-02-25 22:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32355432323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c96d3-aa20-740e-af0e-f149667e79e1', '2026-02-25 22:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32355432323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c96d9-2860-7f29-ad07-6d1d40ec1b3f', '2026-02-25 22:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32355432323a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c999b-0780-79cc-bd2f-13f147485438', '2026-02-26 11:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32365431313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c999d-c6a0-7811-aa0d-a3670ceb8460', '2026-02-26 11:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32365431313a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c99b6-7ec0-75bf-9395-588648d90260', '2026-02-26 11:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32365431313a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019c9c65-2400-77c7-8c11-8336261b645a', '2026-02-27 00:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32375430303a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c9c67-e320-7ff3-8f57-4fa070d5a771', '2026-02-27 00:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32375430303a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c9c77-7380-7d97-98ab-9e73cf29ffb3', '2026-02-27 00:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32375430303a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c9f2f-4080-7cab-a9d6-75fc0d8085e0', '2026-02-27 13:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32375431333a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019c9f31-ffa0-795f-8d06-af1a35c584f8', '2026-02-27 13:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32375431333a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019ca1f9-5d00-7e3f-8d76-3b021cf19235', '2026-02-28 02:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32385430323a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019ca1fc-1c20-7212-9139-b48417c75556', '2026-02-28 02:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32385430323a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019ca201-9a60-799a-9e40-543be767cbd0', '2026-02-28 02:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32385430323a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019ca4c3-7980-7e8f-9295-cc263aa5d17b', '2026-02-28 15:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32385431353a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019ca4c6-38a0-7821-9da7-428589798c58', '2026-02-28 15:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30322d32385431353a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019ca78d-9600-7dfe-a644-6fceffb025d0', '2026-03-01 04:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30315430343a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019ca790-5520-76e5-9591-da81ab087217', '2026-03-01 04:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30315430343a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019caa57-b280-7b2b-b874-2222e643c8dc', '2026-03-01 17:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30315431373a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019caa5a-71a0-755c-a374-e43f49e28c3c', '2026-03-01 17:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30315431373a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019caa6a-0200-7c72-b4cb-1b2926b8246e', '2026-03-01 17:20:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30315431373a32303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cad21-cf00-7cce-8bb1-b637f175e30f', '2026-03-02 06:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30325430363a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cad24-8e20-7a3b-971f-f2b096136537', '2026-03-02 06:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30325430363a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cad2a-0c60-7f62-8b36-03836b28121c', '2026-03-02 06:09:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30325430363a30393a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cad3d-4640-7f9c-b99d-f64314b9619c', '2026-03-02 06:30:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30325430363a33303a30302b30303a3030227d', 'unreadable callback');
INSERT INTO public.callbacks VALUES ('019cafeb-eb80-7d7f-815c-354e7afdbc4a', '2026-03-02 19:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30325431393a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cafee-aaa0-7aa3-ba01-d3b3511ec4ff', '2026-03-02 19:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30325431393a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cb2b6-0800-78e9-82d6-2e93038ba0ac', '2026-03-03 08:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30335430383a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cb2b8-c720-704f-8784-e7b11c5dff0c', '2026-03-03 08:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30335430383a30333a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cb580-2480-7819-9b5d-c72142845818', '2026-03-03 21:00:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30335432313a30303a30302b30303a3030227d', NULL);
INSERT INTO public.callbacks VALUES ('019cb582-e3a0-77ae-a2d1-96ba50199594', '2026-03-03 21:03:00+00', 'smpp', 'POST', '', '{"content-type": "application/json"}', 'application/json', '\x7b226174223a2022323032362d30332d30335432313a30333a30302b30303a3030227d', NULL);


--
-- Data for Name: delivery_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (1, '019c10eb-9300-72f0-ac3a-379d881d3875', 'smpp', 'id:m0', 'm0', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-01-30 22:00:00+00', '2026-01-30T22:00:00+00:00', '2026-01-30 22:00:00+00', '\x75d8d4a1f156a1f19229298423f39513');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (2, '019c10ee-5220-7597-83c6-c2971510775a', 'smpp', 'id:m0', 'm0', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-01-30 22:03:00+00', '2026-01-30T22:03:00+00:00', '2026-01-30 22:03:00+00', '\xe50e2d9f035fe10918efede6af1c3220');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (3, '019c10ee-5220-7597-83c6-c2971510775a', 'smpp', NULL, NULL, NULL, NULL, 'unknown', '??', NULL, NULL, NULL, NULL, '2026-01-30 22:03:00+00', '\xf3a3c97b02d54c482b45dc65b420cbe9');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (4, '019c13b8-6ea0-78f4-8551-e16af2e2a1b9', 'smpp', 'id:m1', 'm1', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-01-31 11:03:00+00', '2026-01-31T11:03:00+00:00', '2026-01-31 11:03:00+00', '\x86427791225dd8135f76bd7f73712695');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (5, '019c13b5-af80-7c54-bd81-f5aa8723e691', 'smpp', 'id:m1', 'm1', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-01-31 11:00:00+00', '2026-01-31T11:00:00+00:00', '2026-01-31 11:00:00+00', '\xfec93c924ea0cba875adc2018acc7533');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (6, '019c167f-cc00-7b5e-82ce-60c7e4c6cc19', 'smpp', 'id:m2', 'm2', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-01 00:00:00+00', '2026-02-01T00:00:00+00:00', '2026-02-01 00:00:00+00', '\x38c52effff77bc2a1506e986d968ad53');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (7, '019c1682-8b20-7e5f-86e1-e31f4dfe0e92', 'smpp', 'id:m2', 'm2', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-01 00:03:00+00', '2026-02-01T00:03:00+00:00', '2026-02-01 00:03:00+00', '\xd20353ccd6f2fdc434a7888c7824bb9c');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (8, '019c1949-e880-7c55-86f3-faa7f16a624f', 'smpp', 'id:m3', 'm3', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-01 13:00:00+00', '2026-02-01T13:00:00+00:00', '2026-02-01 13:00:00+00', '\x18263ce2d0cedefa6c7d2472b00a2710');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (9, '019c194c-a7a0-7503-847e-390a4b63bd15', 'smpp', 'id:m3', 'm3', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-01 13:03:00+00', '2026-02-01T13:03:00+00:00', '2026-02-01 13:03:00+00', '\xf31f201f90c2d19819b9b7797a0399e1');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (10, '019c1c16-c420-73db-87f7-db3d4f707b86', 'smpp', 'id:m4', 'm4', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-02 02:03:00+00', '2026-02-02T02:03:00+00:00', '2026-02-02 02:03:00+00', '\x218f0c6daa8758e74832531aafcf85a3');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (11, '019c1c14-0500-7136-aa69-2fdef4024aa4', 'smpp', 'id:m4', 'm4', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-02 02:00:00+00', '2026-02-02T02:00:00+00:00', '2026-02-02 02:00:00+00', '\x54c292e642503b446548016c0cbb6330');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (12, '019c1ede-2180-740c-b771-48068fac1501', 'smpp', 'id:m5', 'm5', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-02 15:00:00+00', '2026-02-02T15:00:00+00:00', '2026-02-02 15:00:00+00', '\x045f758179f17b8b22c23284e740b16b');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (13, '019c1ee0-e0a0-734d-9c13-4a0a038123fa', 'smpp', 'id:m5', 'm5', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-02 15:03:00+00', '2026-02-02T15:03:00+00:00', '2026-02-02 15:03:00+00', '\xb47714f0770a0c7ed9aa855626aa0b5b');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (14, '019c21aa-fd20-7b54-9fd6-c65bdcf09f22', 'smpp', 'id:m6', 'm6', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-03 04:03:00+00', '2026-02-03T04:03:00+00:00', '2026-02-03 04:03:00+00', '\x1a29f6aefd367d5d3a902072bd12e06c');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (15, '019c21a8-3e00-7d73-a71f-5e70500c7b45', 'smpp', 'id:m6', 'm6', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-03 04:00:00+00', '2026-02-03T04:00:00+00:00', '2026-02-03 04:00:00+00', '\xedc99220c06e53b92454f2879fb5853b');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (16, '019c2472-5a80-7b7b-b185-d20c817797e0', 'smpp', 'id:m7', 'm7', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-03 17:00:00+00', '2026-02-03T17:00:00+00:00', '2026-02-03 17:00:00+00', '\x8eb02cac68de10cb1479b791b374a143');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (17, '019c2475-19a0-71b5-bd3d-0e415dd2edb8', 'smpp', 'id:m7', 'm7', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-03 17:03:00+00', '2026-02-03T17:03:00+00:00', '2026-02-03 17:03:00+00', '\x9befbabb33c722aac2ddd69f8774a670');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (18, '019c273c-7700-7224-b1a8-227b2c56cd9e', 'smpp', 'id:m8', 'm8', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-04 06:00:00+00', '2026-02-04T06:00:00+00:00', '2026-02-04 06:00:00+00', '\xb8a7f4f0e3e9f8584aa2ef3bb55f0e22');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (19, '019c273f-3620-7c48-aa5f-26f64a050fdb', 'smpp', 'id:m8', 'm8', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-04 06:03:00+00', '2026-02-04T06:03:00+00:00', '2026-02-04 06:03:00+00', '\xee3aafc28350213c1b111bf334d36954');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (20, '019c2a06-9380-7e8e-9abf-f98b8c880798', 'smpp', 'id:m9', 'm9', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-04 19:00:00+00', '2026-02-04T19:00:00+00:00', '2026-02-04 19:00:00+00', '\x1434d8040181949554738a2d01a17cae');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (21, '019c2a09-52a0-7f74-b38e-3ea7307969ac', 'smpp', 'id:m9', 'm9', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-04 19:03:00+00', '2026-02-04T19:03:00+00:00', '2026-02-04 19:03:00+00', '\xa5ffe6ca2cec9b138d2061415df305aa');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (22, '019c2cd3-6f20-739f-ac88-68f32abee336', 'smpp', NULL, NULL, NULL, NULL, 'unknown', '??', NULL, NULL, NULL, NULL, '2026-02-05 08:03:00+00', '\x13a5a91ac629161b2eb813c24283b846');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (23, '019c2cd0-b000-7550-b6c6-638609be2c35', 'smpp', 'id:m10', 'm10', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-05 08:00:00+00', '2026-02-05T08:00:00+00:00', '2026-02-05 08:00:00+00', '\x4d1c76f2440704b014118b6aff7a86cd');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (24, '019c2cd3-6f20-739f-ac88-68f32abee336', 'smpp', 'id:m10', 'm10', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-05 08:03:00+00', '2026-02-05T08:03:00+00:00', '2026-02-05 08:03:00+00', '\xbc7a944595f031402787e2f297c1af5d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (25, '019c2f9d-8ba0-7d3c-aca8-fe73e2ded101', 'smpp', 'id:m11', 'm11', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-05 21:03:00+00', '2026-02-05T21:03:00+00:00', '2026-02-05 21:03:00+00', '\x102736ea0f417f7721f0d538b3a78ac7');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (26, '019c2f9a-cc80-78de-a148-5defe19736d1', 'smpp', 'id:m11', 'm11', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-05 21:00:00+00', '2026-02-05T21:00:00+00:00', '2026-02-05 21:00:00+00', '\x5965f0d5827932eb4ca5e57b4f5ed067');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (27, '019c3267-a820-7d0f-adfd-33776b67b68d', 'smpp', 'id:m12', 'm12', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-06 10:03:00+00', '2026-02-06T10:03:00+00:00', '2026-02-06 10:03:00+00', '\x792a6b08b3fff3f0628dfba7a1121b01');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (28, '019c3264-e900-78d1-95fa-4b6f67d44615', 'smpp', 'id:m12', 'm12', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-06 10:00:00+00', '2026-02-06T10:00:00+00:00', '2026-02-06 10:00:00+00', '\xd642d9d4d99d1b1df17a00bc65cc131d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (29, '019c352f-0580-7a83-8d68-203b0fafd6e3', 'smpp', 'id:m13', 'm13', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-06 23:00:00+00', '2026-02-06T23:00:00+00:00', '2026-02-06 23:00:00+00', '\x4b4ff6104624b3fdbfffdf5b82d33540');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (30, '019c3531-c4a0-7636-a81b-edc8daf3fa68', 'smpp', 'id:m13', 'm13', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-06 23:03:00+00', '2026-02-06T23:03:00+00:00', '2026-02-06 23:03:00+00', '\xe8c4894ec7d98404f5f430c258c4f753');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (31, '019c37f9-2200-7e17-94c1-92abbc991e01', 'smpp', 'id:m14', 'm14', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-07 12:00:00+00', '2026-02-07T12:00:00+00:00', '2026-02-07 12:00:00+00', '\x8d3fc48c0d72febbdd3e09dc2824a0fe');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (32, '019c37fb-e120-7c39-b069-78c86e89dda0', 'smpp', 'id:m14', 'm14', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-07 12:03:00+00', '2026-02-07T12:03:00+00:00', '2026-02-07 12:03:00+00', '\xac478cf1e1a811d1cc85177f97c5311f');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (33, '019c3ac3-3e80-7d96-9dc8-69b977c31f8d', 'smpp', 'id:m15', 'm15', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-08 01:00:00+00', '2026-02-08T01:00:00+00:00', '2026-02-08 01:00:00+00', '\x0bd67dcdddbbe518a22be46847e7bd0a');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (34, '019c3ac5-fda0-7bd5-b2da-3c71f996fce5', 'smpp', 'id:m15', 'm15', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-08 01:03:00+00', '2026-02-08T01:03:00+00:00', '2026-02-08 01:03:00+00', '\x14eb2c149d394722123980e5e69a83de');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (35, '019c3d8d-5b00-722e-800d-bafc66de14b7', 'smpp', 'id:m16', 'm16', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-08 14:00:00+00', '2026-02-08T14:00:00+00:00', '2026-02-08 14:00:00+00', '\x08114bac76fcc62bdcd6c28654326141');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (36, '019c3d90-1a20-7c8e-b0f0-3d4aec9abdbe', 'smpp', 'id:m16', 'm16', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-08 14:03:00+00', '2026-02-08T14:03:00+00:00', '2026-02-08 14:03:00+00', '\x0f0df5b17aad644e1bcb915446cdcb95');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (37, '019c4057-7780-7e56-ae52-7ce753abffab', 'smpp', 'id:m17', 'm17', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-09 03:00:00+00', '2026-02-09T03:00:00+00:00', '2026-02-09 03:00:00+00', '\x2bf026314d2dccc36d6e93c00e512acc');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (38, '019c405a-36a0-7121-81bd-6898b92f5110', 'smpp', 'id:m17', 'm17', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-09 03:03:00+00', '2026-02-09T03:03:00+00:00', '2026-02-09 03:03:00+00', '\x66ea0067be5c80d89fa305c8794b6c58');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (39, '019c4321-9400-73e9-ba11-4a468f672093', 'smpp', 'id:m18', 'm18', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-09 16:00:00+00', '2026-02-09T16:00:00+00:00', '2026-02-09 16:00:00+00', '\x0c2c4f7d011f8a524325350cd1f9cfdd');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (40, '019c4324-5320-798a-9678-5c4200a185f0', 'smpp', 'id:m18', 'm18', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-09 16:03:00+00', '2026-02-09T16:03:00+00:00', '2026-02-09 16:03:00+00', '\x83ffadf5d3f046ed1d7a194bfe73f2b4');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (41, '019c45ee-6fa0-7d3f-b82f-08071270767e', 'smpp', 'id:m19', 'm19', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-10 05:03:00+00', '2026-02-10T05:03:00+00:00', '2026-02-10 05:03:00+00', '\x05a42df779561647737364714cde4a9c');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (42, '019c45eb-b080-77de-8cea-edd34f042f67', 'smpp', 'id:m19', 'm19', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-10 05:00:00+00', '2026-02-10T05:00:00+00:00', '2026-02-10 05:00:00+00', '\xf0f79d4d5ec298921bd74a397e1a1de1');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (43, '019c48b5-cd00-7c1e-90a6-09c8082e4a0b', 'smpp', 'id:m20', 'm20', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-10 18:00:00+00', '2026-02-10T18:00:00+00:00', '2026-02-10 18:00:00+00', '\xc3c4fc8bc43d245dc59abe7528bcf839');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (44, '019c48b8-8c20-7fca-9071-cd281b66a759', 'smpp', 'id:m20', 'm20', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-10 18:03:00+00', '2026-02-10T18:03:00+00:00', '2026-02-10 18:03:00+00', '\xdf539e7c2a858d189993aad47a8ca869');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (45, '019c48b8-8c20-7fca-9071-cd281b66a759', 'smpp', NULL, NULL, NULL, NULL, 'unknown', '??', NULL, NULL, NULL, NULL, '2026-02-10 18:03:00+00', '\xe49129f2f9169812b135972bff0857d2');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (46, '019c4b7f-e980-7ce1-a128-1986e9c3a160', 'smpp', 'id:m21', 'm21', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-11 07:00:00+00', '2026-02-11T07:00:00+00:00', '2026-02-11 07:00:00+00', '\x5739c23c39304213cf72be17dfaa8e0f');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (47, '019c4b82-a8a0-7826-8c44-6ac10da83117', 'smpp', 'id:m21', 'm21', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-11 07:03:00+00', '2026-02-11T07:03:00+00:00', '2026-02-11 07:03:00+00', '\xffc63bac26b0c612d9e8744a1644c0d8');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (48, '019c4e4c-c520-7c87-bb61-dd5feacf1655', 'smpp', 'id:m22', 'm22', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-11 20:03:00+00', '2026-02-11T20:03:00+00:00', '2026-02-11 20:03:00+00', '\x8aadd827e5c9b0b4bcf81fa875c0a676');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (49, '019c4e4a-0600-7c7b-be23-be04214e9f2c', 'smpp', 'id:m22', 'm22', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-11 20:00:00+00', '2026-02-11T20:00:00+00:00', '2026-02-11 20:00:00+00', '\xd2571f0b5d3025fdc4bbd98c5666c397');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (50, '019c5116-e1a0-7329-a6f0-adc3a3857eac', 'smpp', 'id:m23', 'm23', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-12 09:03:00+00', '2026-02-12T09:03:00+00:00', '2026-02-12 09:03:00+00', '\x4bdd46a38d56340d1c2d3db5f89f9d48');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (51, '019c5114-2280-763e-9078-37f3b69eb42e', 'smpp', 'id:m23', 'm23', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-12 09:00:00+00', '2026-02-12T09:00:00+00:00', '2026-02-12 09:00:00+00', '\xfb6239d45239e007bd2f8bf18f4d7598');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (52, '019c53e0-fe20-7137-a7dc-fb940bd9ea78', 'smpp', 'id:m24', 'm24', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-12 22:03:00+00', '2026-02-12T22:03:00+00:00', '2026-02-12 22:03:00+00', '\x744a410d509f0e2a9522de3b14c1f3d6');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (53, '019c53de-3f00-7539-9285-0dfde16393de', 'smpp', 'id:m24', 'm24', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-12 22:00:00+00', '2026-02-12T22:00:00+00:00', '2026-02-12 22:00:00+00', '\xe1921d8a6059cd242590ed143f9a5a14');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (54, '019c56a8-5b80-7feb-b459-eaa481044351', 'smpp', 'id:m25', 'm25', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-13 11:00:00+00', '2026-02-13T11:00:00+00:00', '2026-02-13 11:00:00+00', '\x80fcc4bb9190f0c66eaea94601fd89ba');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (55, '019c56ab-1aa0-7fc0-95f4-82241784d555', 'smpp', 'id:m25', 'm25', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-13 11:03:00+00', '2026-02-13T11:03:00+00:00', '2026-02-13 11:03:00+00', '\xb3c0bee5ee175363a45171779a27f503');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (56, '019c5975-3720-71b4-adab-d2bb7ccfdabd', 'smpp', 'id:m26', 'm26', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-14 00:03:00+00', '2026-02-14T00:03:00+00:00', '2026-02-14 00:03:00+00', '\x5ebbfac76271ba669b20753e2c434c94');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (57, '019c5972-7800-7846-be20-7454f196a1d3', 'smpp', 'id:m26', 'm26', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-14 00:00:00+00', '2026-02-14T00:00:00+00:00', '2026-02-14 00:00:00+00', '\xa7b763a42fc1290de157062cf9e2ccd7');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (58, '019c5c3f-53a0-718b-89c5-40eda458e809', 'smpp', 'id:m27', 'm27', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-14 13:03:00+00', '2026-02-14T13:03:00+00:00', '2026-02-14 13:03:00+00', '\x03f5a1bb01b1ad3e29cdc5a9ea75c6ba');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (59, '019c5c3c-9480-7743-a2b4-c0fa424f9686', 'smpp', 'id:m27', 'm27', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-14 13:00:00+00', '2026-02-14T13:00:00+00:00', '2026-02-14 13:00:00+00', '\x385343a2f23713a4389186ce0a0abc3e');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (60, '019c5f06-b100-7ba7-a9f9-cd6ab19df611', 'smpp', 'id:m28', 'm28', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-15 02:00:00+00', '2026-02-15T02:00:00+00:00', '2026-02-15 02:00:00+00', '\x1582a3eb7a0a547efccd892a1de0a9c3');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (61, '019c5f09-7020-74c2-895e-3780f916f85b', 'smpp', 'id:m28', 'm28', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-15 02:03:00+00', '2026-02-15T02:03:00+00:00', '2026-02-15 02:03:00+00', '\x573c761d58e320b473cd9e8d5b87ea41');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (62, '019c61d3-8ca0-7a6c-b26d-72eff6d6d89a', 'smpp', 'id:m29', 'm29', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-15 15:03:00+00', '2026-02-15T15:03:00+00:00', '2026-02-15 15:03:00+00', '\x4d26651a1605d1915ff865663b59b2a8');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (63, '019c61d0-cd80-75c8-96e7-d40f9b571740', 'smpp', 'id:m29', 'm29', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-15 15:00:00+00', '2026-02-15T15:00:00+00:00', '2026-02-15 15:00:00+00', '\x889c98398eddfdb2d86ba89c6013ee94');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (64, '019c649d-a920-76a7-8276-d4f7f5676925', 'smpp', NULL, NULL, NULL, NULL, 'unknown', '??', NULL, NULL, NULL, NULL, '2026-02-16 04:03:00+00', '\x0c80e2ec815a7633a6ef8d0695da9119');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (65, '019c649d-a920-76a7-8276-d4f7f5676925', 'smpp', 'id:m30', 'm30', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-16 04:03:00+00', '2026-02-16T04:03:00+00:00', '2026-02-16 04:03:00+00', '\x80e4dd2a307ecc765333828e64a3c17f');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (66, '019c649a-ea00-7195-8660-cc1143f25a71', 'smpp', 'id:m30', 'm30', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-16 04:00:00+00', '2026-02-16T04:00:00+00:00', '2026-02-16 04:00:00+00', '\x901e5c8d5ecc301b52d0ed785e3e0334');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (67, '019c6767-c5a0-762e-9384-840a277a18bb', 'smpp', 'id:m31', 'm31', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-16 17:03:00+00', '2026-02-16T17:03:00+00:00', '2026-02-16 17:03:00+00', '\x3bfed6fbb47fbf6434aabe038e68e327');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (68, '019c6765-0680-7586-b6eb-7cddd6892eeb', 'smpp', 'id:m31', 'm31', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-16 17:00:00+00', '2026-02-16T17:00:00+00:00', '2026-02-16 17:00:00+00', '\x7fde82e00d2d088a1f11aca1f5678b8b');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (69, '019c6a31-e220-7517-819d-72806ed1a5ca', 'smpp', 'id:m32', 'm32', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-17 06:03:00+00', '2026-02-17T06:03:00+00:00', '2026-02-17 06:03:00+00', '\x6b2fe9bf726312fd728f0c4c7a93a45e');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (70, '019c6a2f-2300-789a-9b99-83119a83e6a8', 'smpp', 'id:m32', 'm32', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-17 06:00:00+00', '2026-02-17T06:00:00+00:00', '2026-02-17 06:00:00+00', '\xbd8a198cd857779e4127bd7d08677eab');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (71, '019c6cf9-3f80-7fa9-8db9-704aef3a4365', 'smpp', 'id:m33', 'm33', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-17 19:00:00+00', '2026-02-17T19:00:00+00:00', '2026-02-17 19:00:00+00', '\x772f81db69996290a67d9e2ae596724d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (72, '019c6cfb-fea0-7837-8fc6-0fff708244c6', 'smpp', 'id:m33', 'm33', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-17 19:03:00+00', '2026-02-17T19:03:00+00:00', '2026-02-17 19:03:00+00', '\xca88e9c72c93bcafe814aeaf7a6e0e7d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (73, '019c6fc3-5c00-7a3f-aa86-073c74ff1dc3', 'smpp', 'id:m34', 'm34', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-18 08:00:00+00', '2026-02-18T08:00:00+00:00', '2026-02-18 08:00:00+00', '\x53f635dff0fdf55e84fe11d37aa07b2d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (74, '019c6fc6-1b20-729b-a4b6-e9217acf7253', 'smpp', 'id:m34', 'm34', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-18 08:03:00+00', '2026-02-18T08:03:00+00:00', '2026-02-18 08:03:00+00', '\x7defa835d07d87882e943d47af7ca3a9');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (75, '019c728d-7880-7084-948d-2c1bf4c3d772', 'smpp', 'id:m35', 'm35', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-18 21:00:00+00', '2026-02-18T21:00:00+00:00', '2026-02-18 21:00:00+00', '\x1254f61914dac247623fc9464aa27fe2');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (76, '019c7290-37a0-7acd-b078-6f3b9ae51d2f', 'smpp', 'id:m35', 'm35', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-18 21:03:00+00', '2026-02-18T21:03:00+00:00', '2026-02-18 21:03:00+00', '\x3028f1fe4cb347f481807edbf72ef2cb');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (77, '019c755a-5420-72a6-85d8-8cf14106d9a8', 'smpp', 'id:m36', 'm36', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-19 10:03:00+00', '2026-02-19T10:03:00+00:00', '2026-02-19 10:03:00+00', '\x05e6234de112de0f566b509af5f3bb3b');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (78, '019c7557-9500-7ea6-851e-bf660e6f010f', 'smpp', 'id:m36', 'm36', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-19 10:00:00+00', '2026-02-19T10:00:00+00:00', '2026-02-19 10:00:00+00', '\x956aa0ab285a17dc9845a931ed3595cd');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (79, '019c7821-b180-7266-9687-2a28f2124323', 'smpp', 'id:m37', 'm37', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-19 23:00:00+00', '2026-02-19T23:00:00+00:00', '2026-02-19 23:00:00+00', '\x1e1fd41ae657ed32f9c1e275292605a4');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (80, '019c7824-70a0-73e5-86ad-8ab432a87128', 'smpp', 'id:m37', 'm37', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-19 23:03:00+00', '2026-02-19T23:03:00+00:00', '2026-02-19 23:03:00+00', '\x6b356383c6aab88c9d28de221d03a160');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (81, '019c7aee-8d20-7f10-8bfa-18f978d55e95', 'smpp', 'id:m38', 'm38', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-20 12:03:00+00', '2026-02-20T12:03:00+00:00', '2026-02-20 12:03:00+00', '\x068eb5ef186523b973c4f0d883e6a4ca');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (82, '019c7aeb-ce00-7295-91ea-70cce45d6f8b', 'smpp', 'id:m38', 'm38', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-20 12:00:00+00', '2026-02-20T12:00:00+00:00', '2026-02-20 12:00:00+00', '\x72b2eda9855c4e6d17859063f85accd1');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (83, '019c7db5-ea80-73e9-863f-c7ff6fad8a82', 'smpp', 'id:m39', 'm39', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-21 01:00:00+00', '2026-02-21T01:00:00+00:00', '2026-02-21 01:00:00+00', '\x4eb8bf9aeaff1752816210f92de0d4d2');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (84, '019c7db8-a9a0-7e9f-a420-ca90d214cf73', 'smpp', 'id:m39', 'm39', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-21 01:03:00+00', '2026-02-21T01:03:00+00:00', '2026-02-21 01:03:00+00', '\x67dd7aebe67e2e402f66e16cab488add');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (85, '019c8080-0700-7d66-9711-631f7379fadf', 'smpp', 'id:m40', 'm40', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-21 14:00:00+00', '2026-02-21T14:00:00+00:00', '2026-02-21 14:00:00+00', '\x3d593825df218785b7e89bb89ffd7fe8');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (86, '019c8082-c620-7429-9502-fe56b479d0f2', 'smpp', NULL, NULL, NULL, NULL, 'unknown', '??', NULL, NULL, NULL, NULL, '2026-02-21 14:03:00+00', '\x53943f746d5fb08642173f8da2ac4905');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (87, '019c8082-c620-7429-9502-fe56b479d0f2', 'smpp', 'id:m40', 'm40', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-21 14:03:00+00', '2026-02-21T14:03:00+00:00', '2026-02-21 14:03:00+00', '\x96e5dd8f99a1bd350126345f7a414ffa');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (88, '019c834a-2380-7f65-8532-5da5df0a3fc4', 'smpp', 'id:m41', 'm41', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-22 03:00:00+00', '2026-02-22T03:00:00+00:00', '2026-02-22 03:00:00+00', '\x5ae6ec2f2d9a2050666d9a7a0bcf4ced');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (89, '019c834c-e2a0-76c3-9c5c-e4524be4ffbb', 'smpp', 'id:m41', 'm41', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-22 03:03:00+00', '2026-02-22T03:03:00+00:00', '2026-02-22 03:03:00+00', '\xc078031ae2299489448dd2d28bddea5d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (90, '019c8616-ff20-7b59-bc87-be36fb7256c4', 'smpp', 'id:m42', 'm42', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-22 16:03:00+00', '2026-02-22T16:03:00+00:00', '2026-02-22 16:03:00+00', '\x1124d6ac297a9f8fc9ad9a52f2ca55c2');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (91, '019c8614-4000-7ba8-a02d-745e1fb7eb22', 'smpp', 'id:m42', 'm42', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-22 16:00:00+00', '2026-02-22T16:00:00+00:00', '2026-02-22 16:00:00+00', '\x6d245bed1aeb923682d09758b0f393a0');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (92, '019c88de-5c80-7cd0-9117-63dcd4f283bd', 'smpp', 'id:m43', 'm43', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-23 05:00:00+00', '2026-02-23T05:00:00+00:00', '2026-02-23 05:00:00+00', '\x99ae033c914412dda938876f8e5b454a');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (93, '019c88e1-1ba0-7572-85ce-8d8dd4eee0cf', 'smpp', 'id:m43', 'm43', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-23 05:03:00+00', '2026-02-23T05:03:00+00:00', '2026-02-23 05:03:00+00', '\xb603719c5e7dff3c2966ca12f84ac4c7');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (94, '019c8ba8-7900-7f7f-ae31-2b4838e4cf9f', 'smpp', 'id:m44', 'm44', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-23 18:00:00+00', '2026-02-23T18:00:00+00:00', '2026-02-23 18:00:00+00', '\x6173b7eec9ef377a4dc91c2e30dced86');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (95, '019c8bab-3820-7b7d-b451-021cd429eb6a', 'smpp', 'id:m44', 'm44', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-23 18:03:00+00', '2026-02-23T18:03:00+00:00', '2026-02-23 18:03:00+00', '\x706288869e5fed006d9439aa4471d4cc');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (96, '019c8e72-9580-7de3-b1a1-52657a290778', 'smpp', 'id:m45', 'm45', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-24 07:00:00+00', '2026-02-24T07:00:00+00:00', '2026-02-24 07:00:00+00', '\x9dcfdff08c98e8dc96ee1d2eeb4fd9ea');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (97, '019c8e75-54a0-7779-9a09-b343437defeb', 'smpp', 'id:m45', 'm45', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-24 07:03:00+00', '2026-02-24T07:03:00+00:00', '2026-02-24 07:03:00+00', '\xc0f2e823034b17215f9036ba7382b5d6');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (98, '019c913f-7120-7e56-8f2a-56258d420b3f', 'smpp', 'id:m46', 'm46', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-24 20:03:00+00', '2026-02-24T20:03:00+00:00', '2026-02-24 20:03:00+00', '\xcab5df822fd54ed0da2efe349921de51');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (99, '019c913c-b200-7f0c-aa3c-e5d346f842a0', 'smpp', 'id:m46', 'm46', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-24 20:00:00+00', '2026-02-24T20:00:00+00:00', '2026-02-24 20:00:00+00', '\xed065813b077da9fc9d4c1b5d3c2bf79');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (100, '019c9406-ce80-70cd-8c5a-0b8d84359984', 'smpp', 'id:m47', 'm47', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-25 09:00:00+00', '2026-02-25T09:00:00+00:00', '2026-02-25 09:00:00+00', '\x19bdb369efa6b131d84f64490283fe6e');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (101, '019c9409-8da0-7681-aac0-29c64754f589', 'smpp', 'id:m47', 'm47', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-25 09:03:00+00', '2026-02-25T09:03:00+00:00', '2026-02-25 09:03:00+00', '\x47c0532e2a3097964ac2106f0ecc8370');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (102, '019c96d3-aa20-740e-af0e-f149667e79e1', 'smpp', 'id:m48', 'm48', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-25 22:03:00+00', '2026-02-25T22:03:00+00:00', '2026-02-25 22:03:00+00', '\x22b5a843faaffbd0b045dc084e63a6f5');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (103, '019c96d0-eb00-72f8-a8a5-15e044343095', 'smpp', 'id:m48', 'm48', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-25 22:00:00+00', '2026-02-25T22:00:00+00:00', '2026-02-25 22:00:00+00', '\x831a315be6bc981b4b1a56b47c634909');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (104, '019c999d-c6a0-7811-aa0d-a3670ceb8460', 'smpp', 'id:m49', 'm49', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-26 11:03:00+00', '2026-02-26T11:03:00+00:00', '2026-02-26 11:03:00+00', '\x04340be9f41ff6f785ad7401d0027350');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (105, '019c999b-0780-79cc-bd2f-13f147485438', 'smpp', 'id:m49', 'm49', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-26 11:00:00+00', '2026-02-26T11:00:00+00:00', '2026-02-26 11:00:00+00', '\xe21d4999b1f44249779773c5e91cca84');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (106, '019c9c67-e320-7ff3-8f57-4fa070d5a771', 'smpp', 'id:m50', 'm50', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-27 00:03:00+00', '2026-02-27T00:03:00+00:00', '2026-02-27 00:03:00+00', '\x08589769df5127eb7b3247268bb7e573');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (107, '019c9c67-e320-7ff3-8f57-4fa070d5a771', 'smpp', NULL, NULL, NULL, NULL, 'unknown', '??', NULL, NULL, NULL, NULL, '2026-02-27 00:03:00+00', '\x977858be193cbea07768e2df0c1c307d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (108, '019c9c65-2400-77c7-8c11-8336261b645a', 'smpp', 'id:m50', 'm50', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-27 00:00:00+00', '2026-02-27T00:00:00+00:00', '2026-02-27 00:00:00+00', '\xee60e0f7eb3b497d28cc65017b118fab');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (109, '019c9f2f-4080-7cab-a9d6-75fc0d8085e0', 'smpp', 'id:m51', 'm51', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-27 13:00:00+00', '2026-02-27T13:00:00+00:00', '2026-02-27 13:00:00+00', '\x7524abad19f2ca4f9c50f7209aecdf7f');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (110, '019c9f31-ffa0-795f-8d06-af1a35c584f8', 'smpp', 'id:m51', 'm51', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-02-27 13:03:00+00', '2026-02-27T13:03:00+00:00', '2026-02-27 13:03:00+00', '\xbdb6dba2bf03f71ca4a4a3f7d7f99183');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (111, '019ca1f9-5d00-7e3f-8d76-3b021cf19235', 'smpp', 'id:m52', 'm52', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-28 02:00:00+00', '2026-02-28T02:00:00+00:00', '2026-02-28 02:00:00+00', '\x110359c5bc91619e9a66a0cf99f7d218');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (112, '019ca1fc-1c20-7212-9139-b48417c75556', 'smpp', 'id:m52', 'm52', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-02-28 02:03:00+00', '2026-02-28T02:03:00+00:00', '2026-02-28 02:03:00+00', '\x244c06fe28e16b83170591d52cfe46f4');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (113, '019ca4c3-7980-7e8f-9295-cc263aa5d17b', 'smpp', 'id:m53', 'm53', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-02-28 15:00:00+00', '2026-02-28T15:00:00+00:00', '2026-02-28 15:00:00+00', '\x058f7c15ecfafa66957836cf52e70d7d');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (114, '019ca4c6-38a0-7821-9da7-428589798c58', 'smpp', 'id:m53', 'm53', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-02-28 15:03:00+00', '2026-02-28T15:03:00+00:00', '2026-02-28 15:03:00+00', '\xb973a216fb8f35c9196e83fdbd38459e');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (115, '019ca790-5520-76e5-9591-da81ab087217', 'smpp', 'id:m54', 'm54', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-03-01 04:03:00+00', '2026-03-01T04:03:00+00:00', '2026-03-01 04:03:00+00', '\xb1a9127b8a1acf5fa1b9c86d41101f0c');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (116, '019ca78d-9600-7dfe-a644-6fceffb025d0', 'smpp', 'id:m54', 'm54', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-03-01 04:00:00+00', '2026-03-01T04:00:00+00:00', '2026-03-01 04:00:00+00', '\xf3038ac2138f1e97a842d5436d9e1be2');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (117, '019caa5a-71a0-755c-a374-e43f49e28c3c', 'smpp', 'id:m55', 'm55', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-03-01 17:03:00+00', '2026-03-01T17:03:00+00:00', '2026-03-01 17:03:00+00', '\x321b289c509dea46ae514e75e6315e9a');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (118, '019caa57-b280-7b2b-b874-2222e643c8dc', 'smpp', 'id:m55', 'm55', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-03-01 17:00:00+00', '2026-03-01T17:00:00+00:00', '2026-03-01 17:00:00+00', '\xd177dd15fe8b1c16fb675b1f31458cdb');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (119, '019cad24-8e20-7a3b-971f-f2b096136537', 'smpp', 'id:m56', 'm56', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-03-02 06:03:00+00', '2026-03-02T06:03:00+00:00', '2026-03-02 06:03:00+00', '\x27a3cdfcc61d8d77dd8979f8c7a819f5');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (120, '019cad21-cf00-7cce-8bb1-b637f175e30f', 'smpp', 'id:m56', 'm56', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-03-02 06:00:00+00', '2026-03-02T06:00:00+00:00', '2026-03-02 06:00:00+00', '\xcb1ec23c9c06d5777e63fcd64db6a9b4');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (121, '019cafee-aaa0-7aa3-ba01-d3b3511ec4ff', 'smpp', 'id:m57', 'm57', NULL, NULL, 'delivered', 'DELIVERED', NULL, NULL, '2026-03-02 19:03:00+00', '2026-03-02T19:03:00+00:00', '2026-03-02 19:03:00+00', '\x318abab4ed7668b61e72c02435a3922f');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (122, '019cafeb-eb80-7d7f-815c-354e7afdbc4a', 'smpp', 'id:m57', 'm57', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-03-02 19:00:00+00', '2026-03-02T19:00:00+00:00', '2026-03-02 19:00:00+00', '\x641333f0b3214030b0a160ed4021afea');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (123, '019cb2b6-0800-78e9-82d6-2e93038ba0ac', 'smpp', 'id:m58', 'm58', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-03-03 08:00:00+00', '2026-03-03T08:00:00+00:00', '2026-03-03 08:00:00+00', '\x01e867799ff80b7d78855572c924f71f');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (124, '019cb2b8-c720-704f-8784-e7b11c5dff0c', 'smpp', 'id:m58', 'm58', NULL, NULL, 'undelivered', 'UNDELIVERED', 'E1', NULL, '2026-03-03 08:03:00+00', '2026-03-03T08:03:00+00:00', '2026-03-03 08:03:00+00', '\x18b4b83fd9fd57271a90737e1e2cf5ec');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (125, '019cb582-e3a0-77ae-a2d1-96ba50199594', 'smpp', 'id:m59', 'm59', NULL, NULL, 'expired', 'EXPIRED', 'E1', NULL, '2026-03-03 21:03:00+00', '2026-03-03T21:03:00+00:00', '2026-03-03 21:03:00+00', '\x9a9ad79a434b828e20c5bdaf6208ded0');
INSERT INTO public.delivery_events OVERRIDING SYSTEM VALUE VALUES (126, '019cb580-2480-7819-9b5d-c72142845818', 'smpp', 'id:m59', 'm59', NULL, NULL, 'sent', 'ENROUTE', NULL, NULL, '2026-03-03 21:00:00+00', '2026-03-03T21:00:00+00:00', '2026-03-03 21:00:00+00', '\xf58eddc2652c18ea0b455fe6a96b8b3c');


--
-- Data for Name: delivery_latency_daily_rollup; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-01-30 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-01 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-03 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-04 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-06 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-08 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-09 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-11 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-12 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-14 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-16 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-17 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-19 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-21 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-22 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-24 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-25 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-02-27 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-03-01 00:00:00+00', 1, 180, 180);
INSERT INTO public.delivery_latency_daily_rollup VALUES ('smpp', '2026-03-02 00:00:00+00', 1, 180, 180);


--
-- Data for Name: delivery_rate_daily_rollup; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-01-30 00:00:00+00', 1, 1, 0, 0, 0, 0, 0, 1.0000, 0.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-01-31 00:00:00+00', 1, 0, 1, 1, 0, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-01 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-02 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-03 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-04 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-05 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-06 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-07 00:00:00+00', 1, 0, 1, 0, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-08 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-09 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-10 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-11 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-12 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-13 00:00:00+00', 1, 0, 1, 1, 0, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-14 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-15 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-16 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-17 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-18 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-19 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-20 00:00:00+00', 1, 0, 1, 0, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-21 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-22 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-23 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-24 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-25 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-26 00:00:00+00', 1, 0, 1, 1, 0, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-27 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-02-28 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-03-01 00:00:00+00', 2, 1, 1, 1, 0, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-03-02 00:00:00+00', 2, 1, 1, 0, 1, 0, 0, 0.5000, 0.5000);
INSERT INTO public.delivery_rate_daily_rollup VALUES ('smpp', '2026-03-03 00:00:00+00', 2, 0, 2, 1, 1, 0, 0, 0.0000, 1.0000);


--
-- Data for Name: delivery_stats_hourly_rollup; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-01-30 22:00:00+00', 3, 0, 1, 1, 0, 0, 0, 1, 0.5000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-01-31 11:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-01 00:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-01 13:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-02 02:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-02 15:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-03 04:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-03 17:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-04 06:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-04 19:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-05 08:00:00+00', 3, 0, 1, 0, 1, 0, 0, 1, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-05 21:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-06 10:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-06 23:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-07 12:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-08 01:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-08 14:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-09 03:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-09 16:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-10 05:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-10 18:00:00+00', 3, 0, 1, 0, 0, 1, 0, 1, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-11 07:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-11 20:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-12 09:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-12 22:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-13 11:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-14 00:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-14 13:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-15 02:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-15 15:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-16 04:00:00+00', 3, 0, 1, 1, 0, 0, 0, 1, 0.5000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-16 17:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-17 06:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-17 19:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-18 08:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-18 21:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-19 10:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-19 23:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-20 12:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-21 01:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-21 14:00:00+00', 3, 0, 1, 0, 1, 0, 0, 1, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-22 03:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-22 16:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-23 05:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-23 18:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-24 07:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-24 20:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-25 09:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-25 22:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-26 11:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-27 00:00:00+00', 3, 0, 1, 0, 0, 1, 0, 1, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-27 13:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-28 02:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-02-28 15:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-03-01 04:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-03-01 17:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-03-02 06:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-03-02 19:00:00+00', 2, 0, 1, 1, 0, 0, 0, 0, 1.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-03-03 08:00:00+00', 2, 0, 1, 0, 1, 0, 0, 0, 0.0000);
INSERT INTO public.delivery_stats_hourly_rollup VALUES ('smpp', '2026-03-03 21:00:00+00', 2, 0, 1, 0, 0, 1, 0, 0, 0.0000);


--
-- Data for Name: inbound_messages; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (1, '019c10fd-e280-7271-890c-c7066408bcaf', 'smpp', 'in0', '447700900000', '12345', 'STOP', NULL, NULL, '2026-01-30 22:20:00+00', NULL, NULL, true, 'STOP', '\x8a37ac6160ef8559f0ce30a120600c4f');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (2, '019c1ef0-7100-7b13-8e6f-8b25edd039eb', 'smpp', 'in5', '447700900005', '12345', 'STOP', NULL, NULL, '2026-02-02 15:20:00+00', NULL, NULL, true, 'STOP', '\x91bdd4bfbfd50684d8480f7ae8791d28');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (3, '019c2ce2-ff80-7a0d-b430-b6dd7696330a', 'smpp', 'in10', '447700900010', '12345', 'STOP', NULL, NULL, '2026-02-05 08:20:00+00', NULL, NULL, true, 'STOP', '\xff09b99efba62ca7662969237ef9467a');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (4, '019c3ad5-8e00-7d40-b602-3c5e33d4d6ea', 'smpp', 'in15', '447700900015', '12345', 'STOP', NULL, NULL, '2026-02-08 01:20:00+00', NULL, NULL, true, 'STOP', '\x10e0bc947d985bbae2a243b79517b671');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (5, '019c48c8-1c80-73ef-b2f4-39c118583269', 'smpp', 'in20', '447700900020', '12345', 'STOP', NULL, NULL, '2026-02-10 18:20:00+00', NULL, NULL, true, 'STOP', '\x44f0ff384b9589462bfd739cf260db05');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (6, '019c56ba-ab00-776e-ba60-8c6835ac0243', 'smpp', 'in25', '447700900025', '12345', 'STOP', NULL, NULL, '2026-02-13 11:20:00+00', NULL, NULL, true, 'STOP', '\x4a978bc8639202746e0cb41bcb58935c');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (7, '019c64ad-3980-753d-afed-3b8d1e918934', 'smpp', 'in30', '447700900030', '12345', 'STOP', NULL, NULL, '2026-02-16 04:20:00+00', NULL, NULL, true, 'STOP', '\x8d07fa8423a375ad75264df8d6323c4c');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (8, '019c729f-c800-70f7-8bcd-8cbbce83fb6a', 'smpp', 'in35', '447700900035', '12345', 'STOP', NULL, NULL, '2026-02-18 21:20:00+00', NULL, NULL, true, 'STOP', '\x6b362bb5871be93345c7f7baac7f28fe');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (9, '019c8092-5680-783c-acad-b451adc11cf4', 'smpp', 'in40', '447700900040', '12345', 'STOP', NULL, NULL, '2026-02-21 14:20:00+00', NULL, NULL, true, 'STOP', '\x7a3caf85b8e0b88dcda5658ad38d2f60');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (10, '019c8e84-e500-7952-8efb-ff7804c3d9b1', 'smpp', 'in45', '447700900045', '12345', 'STOP', NULL, NULL, '2026-02-24 07:20:00+00', NULL, NULL, true, 'STOP', '\x7e4c8d801494517bb09a0751de292c8c');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (11, '019c9c77-7380-7d97-98ab-9e73cf29ffb3', 'smpp', 'in50', '447700900050', '12345', 'STOP', NULL, NULL, '2026-02-27 00:20:00+00', NULL, NULL, true, 'STOP', '\xaf67b93ee479550c0c94d843e9b5e62a');
INSERT INTO public.inbound_messages OVERRIDING SYSTEM VALUE VALUES (12, '019caa6a-0200-7c72-b4cb-1b2926b8246e', 'smpp', 'in55', '447700900055', '12345', 'STOP', NULL, NULL, '2026-03-01 17:20:00+00', NULL, NULL, true, 'STOP', '\xbaa109caa4a16a4208a8eb8d3d806106');


--
-- Data for Name: messages; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.messages VALUES ('smpp', 'id:m0', 'm0', NULL, NULL, 'delivered', 4, '2026-01-30 22:03:00+00', 'DELIVERED', NULL, NULL, '2026-01-30 22:00:00+00', '2026-01-30 22:03:00+00', '2026-01-30 22:03:00+00', '2026-01-30 22:03:00+00', '2026-01-30 22:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m1', 'm1', NULL, NULL, 'undelivered', 4, '2026-01-31 11:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-01-31 11:00:00+00', '2026-01-31 11:03:00+00', '2026-01-31 11:03:00+00', NULL, '2026-01-31 11:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m2', 'm2', NULL, NULL, 'expired', 4, '2026-02-01 00:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-01 00:00:00+00', '2026-02-01 00:03:00+00', '2026-02-01 00:03:00+00', NULL, '2026-02-01 00:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m3', 'm3', NULL, NULL, 'delivered', 4, '2026-02-01 13:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-01 13:00:00+00', '2026-02-01 13:03:00+00', '2026-02-01 13:03:00+00', '2026-02-01 13:03:00+00', '2026-02-01 13:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m4', 'm4', NULL, NULL, 'undelivered', 4, '2026-02-02 02:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-02 02:00:00+00', '2026-02-02 02:03:00+00', '2026-02-02 02:03:00+00', NULL, '2026-02-02 02:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m5', 'm5', NULL, NULL, 'expired', 4, '2026-02-02 15:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-02 15:00:00+00', '2026-02-02 15:03:00+00', '2026-02-02 15:03:00+00', NULL, '2026-02-02 15:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m6', 'm6', NULL, NULL, 'delivered', 4, '2026-02-03 04:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-03 04:00:00+00', '2026-02-03 04:03:00+00', '2026-02-03 04:03:00+00', '2026-02-03 04:03:00+00', '2026-02-03 04:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m7', 'm7', NULL, NULL, 'undelivered', 4, '2026-02-03 17:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-03 17:00:00+00', '2026-02-03 17:03:00+00', '2026-02-03 17:03:00+00', NULL, '2026-02-03 17:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m8', 'm8', NULL, NULL, 'expired', 4, '2026-02-04 06:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-04 06:00:00+00', '2026-02-04 06:03:00+00', '2026-02-04 06:03:00+00', NULL, '2026-02-04 06:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m9', 'm9', NULL, NULL, 'delivered', 4, '2026-02-04 19:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-04 19:00:00+00', '2026-02-04 19:03:00+00', '2026-02-04 19:03:00+00', '2026-02-04 19:03:00+00', '2026-02-04 19:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m10', 'm10', NULL, NULL, 'undelivered', 4, '2026-02-05 08:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-05 08:00:00+00', '2026-02-05 08:03:00+00', '2026-02-05 08:03:00+00', NULL, '2026-02-05 08:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m11', 'm11', NULL, NULL, 'expired', 4, '2026-02-05 21:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-05 21:00:00+00', '2026-02-05 21:03:00+00', '2026-02-05 21:03:00+00', NULL, '2026-02-05 21:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m12', 'm12', NULL, NULL, 'delivered', 4, '2026-02-06 10:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-06 10:00:00+00', '2026-02-06 10:03:00+00', '2026-02-06 10:03:00+00', '2026-02-06 10:03:00+00', '2026-02-06 10:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m13', 'm13', NULL, NULL, 'undelivered', 4, '2026-02-06 23:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-06 23:00:00+00', '2026-02-06 23:03:00+00', '2026-02-06 23:03:00+00', NULL, '2026-02-06 23:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m14', 'm14', NULL, NULL, 'expired', 4, '2026-02-07 12:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-07 12:00:00+00', '2026-02-07 12:03:00+00', '2026-02-07 12:03:00+00', NULL, '2026-02-07 12:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m15', 'm15', NULL, NULL, 'delivered', 4, '2026-02-08 01:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-08 01:00:00+00', '2026-02-08 01:03:00+00', '2026-02-08 01:03:00+00', '2026-02-08 01:03:00+00', '2026-02-08 01:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m16', 'm16', NULL, NULL, 'undelivered', 4, '2026-02-08 14:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-08 14:00:00+00', '2026-02-08 14:03:00+00', '2026-02-08 14:03:00+00', NULL, '2026-02-08 14:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m17', 'm17', NULL, NULL, 'expired', 4, '2026-02-09 03:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-09 03:00:00+00', '2026-02-09 03:03:00+00', '2026-02-09 03:03:00+00', NULL, '2026-02-09 03:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m18', 'm18', NULL, NULL, 'delivered', 4, '2026-02-09 16:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-09 16:00:00+00', '2026-02-09 16:03:00+00', '2026-02-09 16:03:00+00', '2026-02-09 16:03:00+00', '2026-02-09 16:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m19', 'm19', NULL, NULL, 'undelivered', 4, '2026-02-10 05:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-10 05:00:00+00', '2026-02-10 05:03:00+00', '2026-02-10 05:03:00+00', NULL, '2026-02-10 05:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m20', 'm20', NULL, NULL, 'expired', 4, '2026-02-10 18:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-10 18:00:00+00', '2026-02-10 18:03:00+00', '2026-02-10 18:03:00+00', NULL, '2026-02-10 18:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m21', 'm21', NULL, NULL, 'delivered', 4, '2026-02-11 07:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-11 07:00:00+00', '2026-02-11 07:03:00+00', '2026-02-11 07:03:00+00', '2026-02-11 07:03:00+00', '2026-02-11 07:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m22', 'm22', NULL, NULL, 'undelivered', 4, '2026-02-11 20:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-11 20:00:00+00', '2026-02-11 20:03:00+00', '2026-02-11 20:03:00+00', NULL, '2026-02-11 20:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m23', 'm23', NULL, NULL, 'expired', 4, '2026-02-12 09:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-12 09:00:00+00', '2026-02-12 09:03:00+00', '2026-02-12 09:03:00+00', NULL, '2026-02-12 09:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m24', 'm24', NULL, NULL, 'delivered', 4, '2026-02-12 22:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-12 22:00:00+00', '2026-02-12 22:03:00+00', '2026-02-12 22:03:00+00', '2026-02-12 22:03:00+00', '2026-02-12 22:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m25', 'm25', NULL, NULL, 'undelivered', 4, '2026-02-13 11:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-13 11:00:00+00', '2026-02-13 11:03:00+00', '2026-02-13 11:03:00+00', NULL, '2026-02-13 11:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m26', 'm26', NULL, NULL, 'expired', 4, '2026-02-14 00:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-14 00:00:00+00', '2026-02-14 00:03:00+00', '2026-02-14 00:03:00+00', NULL, '2026-02-14 00:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m27', 'm27', NULL, NULL, 'delivered', 4, '2026-02-14 13:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-14 13:00:00+00', '2026-02-14 13:03:00+00', '2026-02-14 13:03:00+00', '2026-02-14 13:03:00+00', '2026-02-14 13:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m28', 'm28', NULL, NULL, 'undelivered', 4, '2026-02-15 02:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-15 02:00:00+00', '2026-02-15 02:03:00+00', '2026-02-15 02:03:00+00', NULL, '2026-02-15 02:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m29', 'm29', NULL, NULL, 'expired', 4, '2026-02-15 15:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-15 15:00:00+00', '2026-02-15 15:03:00+00', '2026-02-15 15:03:00+00', NULL, '2026-02-15 15:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m30', 'm30', NULL, NULL, 'delivered', 4, '2026-02-16 04:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-16 04:00:00+00', '2026-02-16 04:03:00+00', '2026-02-16 04:03:00+00', '2026-02-16 04:03:00+00', '2026-02-16 04:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m31', 'm31', NULL, NULL, 'undelivered', 4, '2026-02-16 17:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-16 17:00:00+00', '2026-02-16 17:03:00+00', '2026-02-16 17:03:00+00', NULL, '2026-02-16 17:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m32', 'm32', NULL, NULL, 'expired', 4, '2026-02-17 06:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-17 06:00:00+00', '2026-02-17 06:03:00+00', '2026-02-17 06:03:00+00', NULL, '2026-02-17 06:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m33', 'm33', NULL, NULL, 'delivered', 4, '2026-02-17 19:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-17 19:00:00+00', '2026-02-17 19:03:00+00', '2026-02-17 19:03:00+00', '2026-02-17 19:03:00+00', '2026-02-17 19:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m34', 'm34', NULL, NULL, 'undelivered', 4, '2026-02-18 08:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-18 08:00:00+00', '2026-02-18 08:03:00+00', '2026-02-18 08:03:00+00', NULL, '2026-02-18 08:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m35', 'm35', NULL, NULL, 'expired', 4, '2026-02-18 21:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-18 21:00:00+00', '2026-02-18 21:03:00+00', '2026-02-18 21:03:00+00', NULL, '2026-02-18 21:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m36', 'm36', NULL, NULL, 'delivered', 4, '2026-02-19 10:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-19 10:00:00+00', '2026-02-19 10:03:00+00', '2026-02-19 10:03:00+00', '2026-02-19 10:03:00+00', '2026-02-19 10:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m37', 'm37', NULL, NULL, 'undelivered', 4, '2026-02-19 23:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-19 23:00:00+00', '2026-02-19 23:03:00+00', '2026-02-19 23:03:00+00', NULL, '2026-02-19 23:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m38', 'm38', NULL, NULL, 'expired', 4, '2026-02-20 12:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-20 12:00:00+00', '2026-02-20 12:03:00+00', '2026-02-20 12:03:00+00', NULL, '2026-02-20 12:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m39', 'm39', NULL, NULL, 'delivered', 4, '2026-02-21 01:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-21 01:00:00+00', '2026-02-21 01:03:00+00', '2026-02-21 01:03:00+00', '2026-02-21 01:03:00+00', '2026-02-21 01:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m40', 'm40', NULL, NULL, 'undelivered', 4, '2026-02-21 14:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-21 14:00:00+00', '2026-02-21 14:03:00+00', '2026-02-21 14:03:00+00', NULL, '2026-02-21 14:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m41', 'm41', NULL, NULL, 'expired', 4, '2026-02-22 03:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-22 03:00:00+00', '2026-02-22 03:03:00+00', '2026-02-22 03:03:00+00', NULL, '2026-02-22 03:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m42', 'm42', NULL, NULL, 'delivered', 4, '2026-02-22 16:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-22 16:00:00+00', '2026-02-22 16:03:00+00', '2026-02-22 16:03:00+00', '2026-02-22 16:03:00+00', '2026-02-22 16:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m43', 'm43', NULL, NULL, 'undelivered', 4, '2026-02-23 05:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-23 05:00:00+00', '2026-02-23 05:03:00+00', '2026-02-23 05:03:00+00', NULL, '2026-02-23 05:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m44', 'm44', NULL, NULL, 'expired', 4, '2026-02-23 18:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-23 18:00:00+00', '2026-02-23 18:03:00+00', '2026-02-23 18:03:00+00', NULL, '2026-02-23 18:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m45', 'm45', NULL, NULL, 'delivered', 4, '2026-02-24 07:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-24 07:00:00+00', '2026-02-24 07:03:00+00', '2026-02-24 07:03:00+00', '2026-02-24 07:03:00+00', '2026-02-24 07:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m46', 'm46', NULL, NULL, 'undelivered', 4, '2026-02-24 20:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-24 20:00:00+00', '2026-02-24 20:03:00+00', '2026-02-24 20:03:00+00', NULL, '2026-02-24 20:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m47', 'm47', NULL, NULL, 'expired', 4, '2026-02-25 09:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-25 09:00:00+00', '2026-02-25 09:03:00+00', '2026-02-25 09:03:00+00', NULL, '2026-02-25 09:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m48', 'm48', NULL, NULL, 'delivered', 4, '2026-02-25 22:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-25 22:00:00+00', '2026-02-25 22:03:00+00', '2026-02-25 22:03:00+00', '2026-02-25 22:03:00+00', '2026-02-25 22:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m49', 'm49', NULL, NULL, 'undelivered', 4, '2026-02-26 11:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-26 11:00:00+00', '2026-02-26 11:03:00+00', '2026-02-26 11:03:00+00', NULL, '2026-02-26 11:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m50', 'm50', NULL, NULL, 'expired', 4, '2026-02-27 00:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-27 00:00:00+00', '2026-02-27 00:03:00+00', '2026-02-27 00:03:00+00', NULL, '2026-02-27 00:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m51', 'm51', NULL, NULL, 'delivered', 4, '2026-02-27 13:03:00+00', 'DELIVERED', NULL, NULL, '2026-02-27 13:00:00+00', '2026-02-27 13:03:00+00', '2026-02-27 13:03:00+00', '2026-02-27 13:03:00+00', '2026-02-27 13:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m52', 'm52', NULL, NULL, 'undelivered', 4, '2026-02-28 02:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-02-28 02:00:00+00', '2026-02-28 02:03:00+00', '2026-02-28 02:03:00+00', NULL, '2026-02-28 02:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m53', 'm53', NULL, NULL, 'expired', 4, '2026-02-28 15:03:00+00', 'EXPIRED', 'E1', NULL, '2026-02-28 15:00:00+00', '2026-02-28 15:03:00+00', '2026-02-28 15:03:00+00', NULL, '2026-02-28 15:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m54', 'm54', NULL, NULL, 'delivered', 4, '2026-03-01 04:03:00+00', 'DELIVERED', NULL, NULL, '2026-03-01 04:00:00+00', '2026-03-01 04:03:00+00', '2026-03-01 04:03:00+00', '2026-03-01 04:03:00+00', '2026-03-01 04:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m55', 'm55', NULL, NULL, 'undelivered', 4, '2026-03-01 17:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-03-01 17:00:00+00', '2026-03-01 17:03:00+00', '2026-03-01 17:03:00+00', NULL, '2026-03-01 17:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m56', 'm56', NULL, NULL, 'expired', 4, '2026-03-02 06:03:00+00', 'EXPIRED', 'E1', NULL, '2026-03-02 06:00:00+00', '2026-03-02 06:03:00+00', '2026-03-02 06:03:00+00', NULL, '2026-03-02 06:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m57', 'm57', NULL, NULL, 'delivered', 4, '2026-03-02 19:03:00+00', 'DELIVERED', NULL, NULL, '2026-03-02 19:00:00+00', '2026-03-02 19:03:00+00', '2026-03-02 19:03:00+00', '2026-03-02 19:03:00+00', '2026-03-02 19:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m58', 'm58', NULL, NULL, 'undelivered', 4, '2026-03-03 08:03:00+00', 'UNDELIVERED', 'E1', NULL, '2026-03-03 08:00:00+00', '2026-03-03 08:03:00+00', '2026-03-03 08:03:00+00', NULL, '2026-03-03 08:03:00+00', 2);
INSERT INTO public.messages VALUES ('smpp', 'id:m59', 'm59', NULL, NULL, 'expired', 4, '2026-03-03 21:03:00+00', 'EXPIRED', 'E1', NULL, '2026-03-03 21:00:00+00', '2026-03-03 21:03:00+00', '2026-03-03 21:03:00+00', NULL, '2026-03-03 21:03:00+00', 2);


--
-- Data for Name: projection_queue; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: rollup_dirty_days; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: rollup_dirty_hours; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: rollup_watermarks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.rollup_watermarks VALUES ('event_hours', '2026-12-02 01:00:00+00');
INSERT INTO public.rollup_watermarks VALUES ('message_days', '2026-12-02 00:00:00+00');


--
-- Name: alert_deliveries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.alert_deliveries_id_seq', 1, false);


--
-- Name: alerts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.alerts_id_seq', 1, false);


--
-- Name: delivery_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.delivery_events_id_seq', 126, true);


--
-- Name: inbound_messages_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.inbound_messages_id_seq', 12, true);


--
-- PostgreSQL database dump complete
--


