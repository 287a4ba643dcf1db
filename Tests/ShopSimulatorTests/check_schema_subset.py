"""Checks that a GraphQL SDL subset matches a full schema exactly where they overlap.

Usage: check_schema_subset.py SUBSET.graphql FULL.graphql
Every type of the subset must exist in the full schema with the same kind; every field,
argument, input field and enum value must exist there with the identical type and default;
required arguments and required input fields of the full schema may not be left out; root
types and directives must match. Prints one line per difference and exits 1 if any.
"""
import sys

from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType,
                     GraphQLObjectType, GraphQLScalarType, build_schema, is_required_argument,
                     is_required_input_field)
from graphql.pyutils import Undefined


def default(value):
    return None if value is Undefined else repr(value)


def compare(subset, full):
    problems = []
    for root in ("query_type", "mutation_type"):
        mine, theirs = getattr(subset, root), getattr(full, root)
        if mine is not None and (theirs is None or mine.name != theirs.name):
            problems.append(f"root {root}: {mine.name} is not the full schema's root")
    for directive in subset.directives:
        real = full.get_directive(directive.name)
        if real is None:
            problems.append(f"directive @{directive.name}: not in the full schema")
            continue
        for name, arg in directive.args.items():
            if name not in real.args or str(real.args[name].type) != str(arg.type):
                problems.append(f"directive @{directive.name}({name}): differs")
    for name, kind in subset.type_map.items():
        if name.startswith("__"):
            continue
        real = full.type_map.get(name)
        if real is None:
            problems.append(f"type {name}: not in the full schema")
            continue
        if type(real) is not type(kind):
            problems.append(f"type {name}: is a {type(real).__name__} there, {type(kind).__name__} here")
            continue
        if isinstance(kind, GraphQLEnumType):
            for value in kind.values:
                if value not in real.values:
                    problems.append(f"enum {name}.{value}: not in the full schema")
        elif isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType)):
            for interface in kind.interfaces:
                if interface.name not in [i.name for i in real.interfaces]:
                    problems.append(f"type {name}: does not implement {interface.name} there")
            for field_name, field in kind.fields.items():
                real_field = real.fields.get(field_name)
                if real_field is None:
                    problems.append(f"field {name}.{field_name}: not in the full schema")
                    continue
                if str(real_field.type) != str(field.type):
                    problems.append(f"field {name}.{field_name}: {field.type} here, {real_field.type} there")
                for arg_name, arg in field.args.items():
                    real_arg = real_field.args.get(arg_name)
                    if real_arg is None:
                        problems.append(f"argument {name}.{field_name}({arg_name}): not in the full schema")
                    elif str(real_arg.type) != str(arg.type) or default(real_arg.default_value) != default(arg.default_value):
                        problems.append(f"argument {name}.{field_name}({arg_name}): differs from the full schema")
                for arg_name, real_arg in real_field.args.items():
                    if is_required_argument(real_arg) and arg_name not in field.args:
                        problems.append(f"argument {name}.{field_name}({arg_name}): required there, missing here")
        elif isinstance(kind, GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                real_field = real.fields.get(field_name)
                if real_field is None:
                    problems.append(f"input field {name}.{field_name}: not in the full schema")
                elif str(real_field.type) != str(field.type) or default(real_field.default_value) != default(field.default_value):
                    problems.append(f"input field {name}.{field_name}: {field.type} here, {real_field.type} there")
            for field_name, real_field in real.fields.items():
                if is_required_input_field(real_field) and field_name not in kind.fields:
                    problems.append(f"input field {name}.{field_name}: required there, missing here")
        elif not isinstance(kind, GraphQLScalarType):
            problems.append(f"type {name}: kind {type(kind).__name__} is not compared")
    return problems


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        subset = build_schema(f.read())
    with open(sys.argv[2], encoding="utf-8") as f:
        full = build_schema(f.read())
    problems = compare(subset, full)
    for problem in problems:
        print(problem)
    print(f"{len(subset.type_map)} types checked, {len(problems)} differences")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
