/// A payment: every keyword the sample generator and the binders have to respect, nested
/// objects and a `$ref`, an array with `maxItems`, enums, bounds, formats, nullable and
/// optional fields (the agent's sample tests and the direct binder's comparison share it).
public let paymentSchema = #"""
    {"type": "object", "additionalProperties": false, "required": ["amount", "currency", "items", "at", "payer"],
     "$defs": {"party": {"type": "object", "required": ["id"],
                         "properties": {"id": {"type": "string", "maxLength": 8},
                                        "tier": {"enum": ["gold", "silver"]}}}},
     "properties": {
       "amount": {"type": "number", "minimum": 0, "maximum": 10000},
       "currency": {"enum": ["USD", "EUR", "GBP"]},
       "items": {"type": "array", "maxItems": 5,
                 "items": {"type": "object", "required": ["qty"],
                           "properties": {"qty": {"type": "integer", "minimum": 1, "maximum": 99},
                                          "sku": {"type": "string", "maxLength": 4}}}},
       "note": {"type": ["string", "null"]},
       "at": {"type": "string", "format": "date-time"},
       "ip": {"type": "string", "format": "ipv4"},
       "ip6": {"type": "string", "format": "ipv6"},
       "payer": {"$ref": "#/$defs/party"},
       "flags": {"type": "object", "additionalProperties": {"type": "boolean"}, "maxProperties": 2},
       "labels": {"type": "object", "properties": {"kind": {"const": "retail"}}},
       "history": {"type": "array", "maxItems": 1000, "items": {"type": "integer"}},
       "manual": {"type": "boolean"}
     }}
    """#
