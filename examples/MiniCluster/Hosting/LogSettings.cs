using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MiniCluster.Hosting;

/// <summary>How a role logs: one line per event on the console (process modes), or nothing (the embedded run draws its own screen).</summary>
public static class LogSettings
{
    public static void Configure(ILoggingBuilder logging, bool console)
    {
        logging.ClearProviders();
        if (console)
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
            logging.SetMinimumLevel(LogLevel.Information);
            // Kestrel's and the host's own chatter is not the cluster's story.
            logging.AddFilter("Microsoft", LogLevel.Warning);
        }
    }
}
