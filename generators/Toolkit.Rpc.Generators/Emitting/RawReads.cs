using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>A group of raw values read with one bounds check, and the conversions that follow it.</summary>
internal sealed class RawReads
{
    public List<(string Target, string Type, bool Declares)> Parts { get; } = new();

    public List<string> After { get; } = new();

    public void Flush(SourceWriter w, Dictionary<string, TypeModel> types)
    {
        if (Parts.Count == 1 && !Parts[0].Declares)
        {
            w.Line($"{Parts[0].Target} = {ValueCode.Read(Parts[0].Type, types)};");
        }
        else if (Parts.Count == 1)
        {
            // A declared target is "Type name", or "Type _" for bytes that are read past.
            string target = Parts[0].Target.EndsWith(" _", StringComparison.Ordinal) ? "_" : Parts[0].Target;
            w.Line($"{target} = reader.ReadUnmanaged<{Parts[0].Type}>();");
        }
        else if (Parts.Count > 0)
        {
            w.Line($"reader.ReadUnmanaged({string.Join(", ", Parts.Select(part => "out " + part.Target))});");
        }

        foreach (string line in After)
        {
            w.Line(line);
        }

        Parts.Clear();
        After.Clear();
    }
}
