/**
 * Pre-flight checks: every executor's OpenCL devices, memory and versions in one table, and the refusals that stop a job
 * before it would fail or run on the wrong device.
 */
package dev.cnnspark.driver.doctor;
