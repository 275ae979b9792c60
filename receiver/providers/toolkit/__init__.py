"""What adapters are built from: body decoding, field helpers, the SMPP receipt parser."""
