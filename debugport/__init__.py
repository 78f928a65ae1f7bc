"""Client and server for workerd's debug port, and the codecs they need."""
