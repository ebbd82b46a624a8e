"""The provider's photo: upload target, confirmation, serving, removal."""
