using System.Globalization;
using System.Net;
using System.Text;

namespace Lottery.Report;

/// <summary>A line chart as inline SVG: the page needs no script and no network.</summary>
public static class SvgChart
{
    public sealed record Series(string Name, string Color, double[] Values, bool Bars = false);

    private const int Width = 1100;
    private const int Height = 320;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 40;

    /// <param name="xStep">The x value between two points (seconds).</param>
    /// <param name="xStart">The x value of the first point.</param>
    public static string Line(string title, string xLabel, string yLabel, double xStart, double xStep, params Series[] series)
    {
        int points = series.Max(s => s.Values.Length);
        double max = NiceCeiling(Math.Max(1e-9, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max()) * 1.05);
        double plotWidth = Width - Left - Right;
        double plotHeight = Height - Top - Bottom;
        double X(int i) => Left + (points <= 1 ? 0 : plotWidth * i / (points - 1));
        double Y(double v) => Top + plotHeight - (plotHeight * v / max);
        StringBuilder svg = new();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Encode(title)}</text>");
        for (int tick = 0; tick <= 4; tick++)
        {
            double value = max * tick / 4;
            double y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.0}\" y2=\"{y:0.0}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.0}\" text-anchor=\"end\">{Format(value)}</text>");
        }

        int xTicks = 10;
        for (int tick = 0; tick <= xTicks; tick++)
        {
            int i = points * tick / xTicks;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(Math.Clamp(i, 0, Math.Max(0, points - 1))):0.0}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Format(xStart + (i * xStep))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2):0}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Encode(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + (plotHeight / 2):0}\" transform=\"rotate(-90 14 {Top + (plotHeight / 2):0})\" text-anchor=\"middle\">{Encode(yLabel)}</text>");
        double barWidth = Math.Max(0.5, (plotWidth / Math.Max(1, points)) - 0.3);
        foreach (Series s in series)
        {
            if (s.Bars)
            {
                for (int i = 0; i < s.Values.Length; i++)
                {
                    double y = Y(s.Values[i]);
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(i) - (barWidth / 2):0.00}\" y=\"{y:0.0}\" width=\"{barWidth:0.00}\" height=\"{Top + plotHeight - y:0.0}\" fill=\"{s.Color}\"/>");
                }
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.5\" points=\"");
                for (int i = 0; i < s.Values.Length; i++)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"{X(i):0.0},{Y(s.Values[i]):0.0} ");
                }

                svg.Append("\"/>");
            }
        }

        int legendX = Width - Right - 10;
        foreach (Series s in series.Reverse())
        {
            int textWidth = (s.Name.Length * 7) + 24;
            legendX -= textWidth;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{s.Color}\"/><text x=\"{legendX + 16}\" y=\"18\">{Encode(s.Name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 or 10 times a power of ten at or above <paramref name="value"/>.</summary>
    private static double NiceCeiling(double value)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(step => step * magnitude).First(candidate => candidate >= value);
    }

    private static string Format(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
