"""Provider adapters, by URL slug, built from the settings (signed providers take secrets),
then one per provider declared in receiver.toml ([providers.generic.<name>])."""

from __future__ import annotations

from collections.abc import Mapping

from receiver.config import ConfigError, Settings
from receiver.providers.base import Adapter, Answer, Request, SignatureError
from receiver.providers.cdyne import CdyneAdapter
from receiver.providers.dotdigital import DotdigitalAdapter
from receiver.providers.dynmark import DynmarkAdapter
from receiver.providers.esendex import EsendexAdapter
from receiver.providers.generic import generic_adapter
from receiver.providers.infobip import InfobipAdapter
from receiver.providers.jasmin import JasminAdapter
from receiver.providers.kannel import KannelAdapter
from receiver.providers.messagebird import MessagebirdAdapter
from receiver.providers.plivo import PlivoAdapter
from receiver.providers.sinch import SinchAdapter
from receiver.providers.smartswitch import SmartswitchAdapter
from receiver.providers.smpp import SmppAdapter
from receiver.providers.telnyx import TelnyxAdapter
from receiver.providers.twilio import TwilioAdapter
from receiver.providers.vonage import VonageAdapter

__all__ = ["Adapter", "Adapters", "Answer", "Request", "SignatureError", "build_adapters"]

#: The adapters in use, by slug.
Adapters = Mapping[str, Adapter]


def build_adapters(settings: Settings) -> dict[str, Adapter]:
    """One adapter per slug, each with the secrets `settings` holds for it."""
    signing = settings.signing
    adapters: list[Adapter] = [
        DynmarkAdapter(),
        CdyneAdapter(),
        SmartswitchAdapter(),
        SmppAdapter(),
        TwilioAdapter(signing.twilio_auth_tokens),
        VonageAdapter(signing.vonage_signature_secrets, signing.vonage_signature_method),
        PlivoAdapter(signing.plivo_auth_tokens),
        MessagebirdAdapter(signing.messagebird_signing_keys),
        TelnyxAdapter(signing.telnyx_public_keys),
        DotdigitalAdapter(signing.dotdigital_webhook_secrets),
        KannelAdapter(),
        JasminAdapter(),
        InfobipAdapter(),
        SinchAdapter(),
        EsendexAdapter(),
    ]
    built = {adapter.slug: adapter for adapter in adapters}
    # Providers declared in receiver.toml; Settings.from_env already refused a shadowing name.
    for definition in settings.generic_providers:
        if definition.name in built:
            raise ConfigError(
                f"providers.generic.{definition.name}: the name of a built-in provider"
            )
        built[definition.name] = generic_adapter(definition)
    return built
