package org.farmid.jobs.cli;

import java.io.PrintWriter;
import org.farmid.common.config.InvalidConfigException;
import org.farmid.common.labels.LabelFormatException;
import org.farmid.jobs.cli.models.BenchDetectorCommand;
import org.farmid.jobs.cli.models.BenchEmbedderCommand;
import org.farmid.jobs.cli.models.DetectFrameCommand;
import org.farmid.jobs.cli.models.EvalCropsCommand;
import org.farmid.jobs.cli.models.EvalDetectorCommand;
import org.farmid.jobs.cli.models.TrainDetectorCommand;
import org.farmid.jobs.cli.models.TrainEmbedderCommand;
import org.farmid.jobs.cli.stages.AdaptCommand;
import org.farmid.jobs.cli.stages.ClassifyCommand;
import org.farmid.jobs.cli.stages.DetectCommand;
import org.farmid.jobs.cli.stages.EnrolCommand;
import org.farmid.jobs.cli.stages.EvaluateCommand;
import org.farmid.jobs.cli.stages.GalleryCommand;
import org.farmid.jobs.cli.stages.IngestCommand;
import org.farmid.jobs.cli.stages.RunCommand;
import org.farmid.jobs.cli.stages.TrackCommand;
import org.farmid.jobs.cli.tools.BenchCommand;
import org.farmid.jobs.cli.tools.CutCropsCommand;
import org.farmid.jobs.cli.tools.ExportFramesCommand;
import org.farmid.jobs.cli.tools.MaintainCommand;
import org.farmid.jobs.cli.tools.NightLookCommand;
import org.farmid.jobs.cli.tools.PreLabelCommand;
import org.farmid.jobs.cli.tools.RenderCommand;
import org.farmid.jobs.cli.tools.ReportCommand;
import org.farmid.jobs.cli.tools.SqlCommand;
import org.farmid.jobs.cli.tools.SynthCommand;
import org.farmid.models.embed.InvalidModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The single entry point: {@code farmid <command> [options]}, run by {@code scripts/farmid} or by
 * {@code spark-submit}. Exit codes: 0 success, 2 usage or configuration error (the option or key is
 * named), 1 runtime failure.
 */
@Command(
    name = "farmid",
    mixinStandardHelpOptions = true,
    versionProvider = FarmId.Version.class,
    description =
        "Identifies individual farm animals in archived top-view footage, on Apache Spark.",
    subcommands = {
      SynthCommand.class,
      TrainEmbedderCommand.class,
      EvalCropsCommand.class,
      BenchEmbedderCommand.class,
      TrainDetectorCommand.class,
      EvalDetectorCommand.class,
      DetectFrameCommand.class,
      ExportFramesCommand.class,
      PreLabelCommand.class,
      CutCropsCommand.class,
      NightLookCommand.class,
      BenchDetectorCommand.class,
      IngestCommand.class,
      DetectCommand.class,
      EnrolCommand.class,
      GalleryCommand.class,
      ClassifyCommand.class,
      TrackCommand.class,
      AdaptCommand.class,
      EvaluateCommand.class,
      RunCommand.class,
      SqlCommand.class,
      MaintainCommand.class,
      ReportCommand.class,
      RenderCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 2 usage or configuration error, 1 runtime failure.",
      "Set FARMID_DEBUG=1 to print stack traces of failures."
    })
public final class FarmId implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;

  /** Picocli answers a bad option with this code too ({@code CommandLine.ExitCode.USAGE}). */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line with the given streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new FarmId());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter e = commandLine.getErr();
          // "farmid detect", "farmid bench decode": the command as typed
          String name = commandLine.getCommandSpec().qualifiedName();
          // Settings, model folders and options named on the command line: usage errors.
          if (ex instanceof InvalidConfigException
              || ex instanceof LabelFormatException
              || ex instanceof InvalidModelException
              || ex instanceof UsageException) {
            e.println(name + ": " + ex.getMessage());
            e.flush();
            return EXIT_USAGE;
          }
          e.println(name + " failed: " + describe(ex));
          if (System.getenv("FARMID_DEBUG") != null) {
            ex.printStackTrace(e);
          }
          e.flush();
          return EXIT_FAILURE;
        });
    return cl.execute(args);
  }

  private static String describe(Throwable ex) {
    StringBuilder sb = new StringBuilder(String.valueOf(ex.getMessage()));
    for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
        sb.append(" (cause: ").append(c.getMessage()).append(')');
      }
    }
    return ex.getMessage() == null ? ex.getClass().getSimpleName() : sb.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version the shaded jar's manifest carries. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FarmId.class.getPackage().getImplementationVersion();
      return new String[] {"farmid " + (v == null ? "(development build)" : v)};
    }
  }
}
