using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>The types written as raw little-endian bytes: numbers, bool, char, enums, Guid, the date and time structs.</summary>
internal static class RawTypes
{
    /// <summary>The size of a type written as raw bytes, or null when it is not one.</summary>
    public static int? Size(KnownTypeSymbols known, ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType: { } underlying })
        {
            return Size(known, underlying);
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
                return 1;
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Char:
                return 2;
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Single:
                return 4;
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
            case SpecialType.System_DateTime:
                return 8;
            case SpecialType.System_Decimal:
                return 16;
        }

        if (KnownTypeSymbols.Is(type, known.Guid) || KnownTypeSymbols.Is(type, known.Int128) || KnownTypeSymbols.Is(type, known.UInt128))
        {
            return 16;
        }

        if (KnownTypeSymbols.Is(type, known.TimeSpan) || KnownTypeSymbols.Is(type, known.TimeOnly))
        {
            return 8;
        }

        if (KnownTypeSymbols.Is(type, known.DateOnly))
        {
            return 4;
        }

        return KnownTypeSymbols.Is(type, known.Half) ? 2 : null;
    }

    /// <summary>Whether every bit pattern of a raw type is valid, so arrays of it are copied in one block without checks.</summary>
    public static bool IsBlockCopyable(KnownTypeSymbols known, ITypeSymbol type) =>
        Size(known, type) is not null
        && type.SpecialType is not (SpecialType.System_Boolean or SpecialType.System_DateTime or SpecialType.System_Decimal)
        && !KnownTypeSymbols.Is(type, known.DateOnly) && !KnownTypeSymbols.Is(type, known.TimeOnly);

    /// <summary>An enum's members as <c>Name = value</c> in declaration order: renumbering one changes what its bytes mean.</summary>
    public static EquatableArray<string> EnumMembers(ITypeSymbol type) =>
        type.GetMembers()
            .OfType<IFieldSymbol>()
            .Where(field => field.HasConstantValue)
            .Select(field => field.Name + " = " + Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture))
            .ToEquatableArray();
}
