using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// The types written as raw little-endian bytes (numbers, bool, char, enums, Guid, the date and time structs) and
/// their memory layout as 64-bit .NET has it, which MemoryPack copies: each part at a multiple of its alignment, the
/// whole padded to a multiple of its largest alignment.
/// </summary>
internal static class RawTypes
{
    /// <summary>DateTimeOffset's: a DateTime and a short, so 16 bytes aligned as a long.</summary>
    public const int DateTimeOffsetSize = 16;

    public const int DateTimeOffsetAlignment = 8;

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

    /// <summary>The alignment of a raw type of <paramref name="size"/> bytes: its size up to 8, except Guid's (4: its largest field is an int) and Int128's (16).</summary>
    public static int Alignment(KnownTypeSymbols known, ITypeSymbol type, int size)
    {
        if (KnownTypeSymbols.Is(type, known.Guid))
        {
            return 4;
        }

        if (KnownTypeSymbols.Is(type, known.Int128) || KnownTypeSymbols.Is(type, known.UInt128))
        {
            return 16;
        }

        return size < 8 ? size : 8;
    }

    /// <summary>Whether every bit pattern of a raw type is valid, so arrays of it are copied in one block without checks.</summary>
    public static bool IsBlockCopyable(KnownTypeSymbols known, ITypeSymbol type) =>
        type.SpecialType is not (SpecialType.System_Boolean or SpecialType.System_DateTime or SpecialType.System_Decimal)
        && !KnownTypeSymbols.Is(type, known.DateOnly) && !KnownTypeSymbols.Is(type, known.TimeOnly);

    /// <summary>The size of <c>T?</c> for a raw <c>T</c>: a has-value byte padded to the value's alignment, then the value.</summary>
    public static int NullableSize(TypeModel value) => value.RawAlignment!.Value + value.MinimumSize;

    /// <summary>The layout of a dictionary entry of a raw key and a raw value, or null when either is not raw.</summary>
    public static RawEntryLayout? EntryLayout(TypeModel? key, TypeModel? value)
    {
        if (key?.RawAlignment is not int keyAlignment || value?.RawAlignment is not int valueAlignment)
        {
            return null;
        }

        int keyPadding = Padding(key.MinimumSize, valueAlignment);
        int end = key.MinimumSize + keyPadding + value.MinimumSize;
        int valuePadding = Padding(end, Math.Max(keyAlignment, valueAlignment));
        return new RawEntryLayout { KeyPadding = keyPadding, ValuePadding = valuePadding, Size = end + valuePadding };
    }

    /// <summary>An enum's members as <c>Name = value</c> in declaration order: renumbering one changes what its bytes mean.</summary>
    public static EquatableArray<string> EnumMembers(ITypeSymbol type) =>
        type.GetMembers()
            .OfType<IFieldSymbol>()
            .Where(field => field.HasConstantValue)
            .Select(field => field.Name + " = " + Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture))
            .ToEquatableArray();

    // How many bytes of padding bring offset up to a multiple of alignment.
    private static int Padding(int offset, int alignment) => (alignment - (offset % alignment)) % alignment;
}
