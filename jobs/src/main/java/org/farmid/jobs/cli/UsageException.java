package org.farmid.jobs.cli;

/** A command line that cannot work as given (exit code 2); the message names the option. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
