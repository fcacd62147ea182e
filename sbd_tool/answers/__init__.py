"""The answers file read once into a typed form (pydantic), with located problems; obligations and tailoring."""
